package io.mutexify.model.machine;

import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.SlotState;
import java.util.List;

/**
 * What applying one command produced. {@code reply} is null when the answer is deferred (the
 * acquire joined the line). {@code otherReplies} answer earlier requests, such as a waiter that
 * was granted or whose wait ended. {@code changed} is false when the slot itself is untouched.
 */
public record Outcome(
        SlotState state,
        boolean changed,
        Reply reply,
        List<Reply> otherReplies,
        List<LockEvent> events,
        List<ScheduledCommand> timers,
        List<HistoryEntry> history) {

    public Outcome {
        otherReplies = List.copyOf(otherReplies);
        events = List.copyOf(events);
        timers = List.copyOf(timers);
        history = List.copyOf(history);
    }
}
