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
 */
public record SlotWrite(
        String slotId,
        long expectedVersion,
        SlotState newState,
        List<Reply> replies,
        List<LockEvent> events,
        List<HistoryEntry> history,
        Instant at) {

    public SlotWrite {
        replies = List.copyOf(replies);
        events = List.copyOf(events);
        history = List.copyOf(history);
    }
}
