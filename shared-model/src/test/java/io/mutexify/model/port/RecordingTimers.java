package io.mutexify.model.port;

import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import java.util.List;

/** The timer queue of a Lockkeeper under test: records what it schedules; it never sends. */
public record RecordingTimers(List<ScheduledCommand> scheduled) implements CommandQueue {
    @Override
    public void send(SlotCommand command) {
        throw new AssertionError("the Lockkeeper only schedules");
    }

    @Override
    public void schedule(ScheduledCommand s) {
        scheduled.add(s);
    }

    @Override
    public boolean isReachable() {
        return true;
    }
}
