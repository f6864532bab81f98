package io.mutexify.model.port;

import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A timer queue whose next {@link #failSchedules} schedules throw (the broker refused them), around a real one; for tests. */
public final class FlakyScheduler implements CommandQueue {
    private final CommandQueue queue;
    public final AtomicInteger failSchedules = new AtomicInteger();

    public FlakyScheduler(CommandQueue queue) {
        this.queue = queue;
    }

    /** Around a queue that only records what is scheduled (the Lockkeeper never sends on its timer queue). */
    public static FlakyScheduler recording(List<ScheduledCommand> scheduled) {
        return new FlakyScheduler(new RecordingTimers(scheduled));
    }

    @Override
    public void send(SlotCommand command) {
        queue.send(command);
    }

    @Override
    public void schedule(ScheduledCommand scheduled) {
        if (failSchedules.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("the timer queue refused the scheduled message (injected)");
        }
        queue.schedule(scheduled);
    }

    @Override
    public boolean isReachable() {
        return queue.isReachable();
    }
}
