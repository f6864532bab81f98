package io.mutexify.lockkeeper;

import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand.EndWait;
import io.mutexify.model.command.SlotCommand.Expire;
import io.mutexify.model.slot.SlotState;
import java.util.ArrayList;
import java.util.List;

/** The timers a stored slot needs, so a restarted server still expires locks and ends waits on time. */
final class TimerRebuild {
    private TimerRebuild() {
    }

    static List<ScheduledCommand> timersFor(SlotState state) {
        List<ScheduledCommand> timers = new ArrayList<>();
        if (state.hold() != null) {
            var h = state.hold();
            timers.add(new ScheduledCommand(h.expireAt(), Expire.of(state.id(), h.fence(), h.expireAt())));
        }
        state.waiters().forEach(w ->
                timers.add(new ScheduledCommand(w.waitUntil(), EndWait.of(state.id(), w.requestId(), w.waitUntil()))));
        return timers;
    }
}
