package io.mutexify.embedded.queue;

import io.mutexify.model.command.SlotCommand;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One slot's session inside the {@link InProcessSessionQueue}.
 *
 * <p>{@code pending} and {@code owned} are only touched inside the queue's
 * {@code sessions.compute(...)} for this id, which is what makes "at most one worker owns a
 * session" and "an empty, unowned session is removed" atomic with respect to producers.
 * {@code inFlight} and {@code failedAttempts} belong to the owning worker; ownership is handed
 * from thread to thread through an executor, which publishes them safely.
 */
final class Session {
    /** A queued command; {@code counted} when it holds a unit of the client-command capacity. */
    record Entry(SlotCommand command, boolean counted) {
    }

    final String id;
    final ArrayDeque<Entry> pending = new ArrayDeque<>();
    boolean owned;
    List<Entry> inFlight;
    int failedAttempts;

    Session(String id) {
        this.id = id;
    }
}
