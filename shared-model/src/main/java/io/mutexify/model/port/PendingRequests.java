package io.mutexify.model.port;

import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.command.SlotCommand.Acquire;
import java.time.Duration;
import java.util.Optional;

/**
 * Durable "sent, not answered yet" records of client commands, written before the command is sent.
 * With several Frontface instances a poll of {@code /api/v1/requests/{id}} may land on any of them,
 * and a waiter's grant may be made by any Lockkeeper instance: both find here what one JVM's memory
 * would only know on the instance that sent the command.
 */
public interface PendingRequests {
    /** How long a record lasts beyond the wait its command asked for: room for a reply timeout and a retry. */
    Duration LIFETIME = Duration.ofMinutes(15);

    /** Where the reply to a request goes: a reply queue and its session (the sending Frontface instance). */
    record ReplyAddress(String queue, String session) {
    }

    /** A long wait as its record tells it: its slot and the principal that asked. */
    record LongWait(String slotId, String principal) {
    }

    /** Records that {@code command} is about to be sent, and where its reply goes. */
    void sent(SlotCommand command, ReplyAddress replyTo);

    /** Whether {@code requestId} was sent recently enough that its reply may still come. */
    boolean isPending(String requestId);

    /** The reply address recorded for {@code requestId}, while the record lasts. */
    Optional<ReplyAddress> replyAddress(String requestId);

    /** The slot and principal of {@code requestId} if it is a long wait, while its record lasts. */
    Optional<LongWait> longWait(String requestId);

    /** How long the record of {@code command} lasts: as long as its answer may take, and a while more. */
    static Duration lifetimeOf(SlotCommand command) {
        return command instanceof Acquire a ? LIFETIME.plusSeconds(a.waitSeconds()) : LIFETIME;
    }

    /** Keeps nothing: one JVM's memory is all a single-instance server needs. */
    PendingRequests NONE = new PendingRequests() {
        @Override
        public void sent(SlotCommand command, ReplyAddress replyTo) {
        }

        @Override
        public boolean isPending(String requestId) {
            return false;
        }

        @Override
        public Optional<ReplyAddress> replyAddress(String requestId) {
            return Optional.empty();
        }

        @Override
        public Optional<LongWait> longWait(String requestId) {
            return Optional.empty();
        }
    };
}
