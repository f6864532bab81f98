package io.mutexify.lockkeeper;

import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.SlotWrite;
import java.util.List;

/**
 * A batch applied in memory: the write to commit (null if there is nothing to write), the
 * replies to send once it is committed, the timers to schedule and the events it produced.
 * {@code replayed}: some request of the batch was answered from its stored reply, so the batch may
 * be a redelivery whose first try committed but never scheduled its timers.
 */
record AppliedBatch(SlotWrite write, List<Reply> replies, List<ScheduledCommand> timers, List<LockEvent> events,
                    int contended, boolean replayed) {
}
