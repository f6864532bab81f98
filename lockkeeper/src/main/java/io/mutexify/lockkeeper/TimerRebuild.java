package io.mutexify.lockkeeper;

import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand.CheckPolls;
import io.mutexify.model.command.SlotCommand.EndDelay;
import io.mutexify.model.command.SlotCommand.EndWait;
import io.mutexify.model.command.SlotCommand.Expire;
import io.mutexify.model.slot.SlotState;
import java.util.ArrayList;
import java.util.List;

/** The timers a stored slot needs, so a restarted server still expires locks and ends waits, unpolled long waits and lock-delays on time. */
final class TimerRebuild {
    private TimerRebuild() {
    }

    static List<ScheduledCommand> timersFor(SlotState state) {
        List<ScheduledCommand> timers = new ArrayList<>();
        state.holds().forEach(h ->
                timers.add(new ScheduledCommand(h.expireAt(), Expire.of(state.id(), h.fence(), h.expireAt()))));
        state.delays().forEach(d ->
                timers.add(new ScheduledCommand(d.until(), EndDelay.of(state.id(), d.fence(), d.until()))));
        state.waiters().forEach(w -> {
            timers.add(new ScheduledCommand(w.waitUntil(), EndWait.of(state.id(), w.requestId(), w.waitUntil())));
            if (w.pollCheckAt() != null) {
                timers.add(new ScheduledCommand(w.pollCheckAt(), CheckPolls.of(state.id(), w.requestId(), w.pollCheckAt())));
            }
        });
        return timers;
    }
}
