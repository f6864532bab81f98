package io.mutexify.model.port;

import io.mutexify.model.event.LockEvent;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.SlotState;
import java.time.Instant;
import java.util.List;

/**
 * One atomic write of a slot: commits only while the slot's version is still {@code expectedVersion}.
 * {@code newState} is null when only replies are recorded; otherwise it is stored with version
 * {@code expectedVersion + 1}. Replies, events (the outbox) and history commit together with it.
 *
 * <p>{@code acknowledgesNothing}: nobody is told of this write (no reply, event or history: a
 * waiter joining the line, whose call waits on). A store may then commit it without waiting for
 * the disk; the next write that does acknowledge something must make it durable along with itself.
 * A write committed so is lost only with the machine (power, kernel), never with the process, and
 * then no caller had been told of it.
 */
public record SlotWrite(
        String slotId,
        long expectedVersion,
        SlotState newState,
        List<Reply> replies,
        List<LockEvent> events,
        List<HistoryEntry> history,
        Instant at,
        boolean acknowledgesNothing) {

    public SlotWrite {
        replies = List.copyOf(replies);
        events = List.copyOf(events);
        history = List.copyOf(history);
        if (acknowledgesNothing && !(replies.isEmpty() && events.isEmpty() && history.isEmpty())) {
            throw new IllegalArgumentException("a write with replies, events or history acknowledges something");
        }
    }

    /** A write that must be durable before its commit returns. */
    public SlotWrite(String slotId, long expectedVersion, SlotState newState, List<Reply> replies,
                     List<LockEvent> events, List<HistoryEntry> history, Instant at) {
        this(slotId, expectedVersion, newState, replies, events, history, at, false);
    }
}
