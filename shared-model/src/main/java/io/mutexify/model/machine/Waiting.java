package io.mutexify.model.machine;

import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.command.SlotCommand.CancelWait;
import io.mutexify.model.command.SlotCommand.EndWait;
import io.mutexify.model.slot.Access;
import io.mutexify.model.slot.Hold;
import io.mutexify.model.slot.LockView;
import io.mutexify.model.slot.Room;
import io.mutexify.model.slot.SlotConfig;
import io.mutexify.model.slot.Waiter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Acquiring a place: granted at once, put in line to wait, or refused; and leaving the line. */
final class Waiting {
    private final Step s;

    Waiting(Step s) {
        this.s = s;
    }

    void acquire(Acquire c) {
        if (s.state.waiters().stream().anyMatch(w -> w.requestId().equals(c.requestId()))) {
            // The same request again while it waits: it keeps its place, the answer comes later. A
            // long wait's retry shows its client is alive, as a poll does.
            if (c.longWaitCallSeconds() != null) {
                new Polls(s).moveOn(c.requestId(), c.actor().principal(), c.longWaitCallSeconds());
            }
            return;
        }
        Optional<Hold> mine = s.state.holds().stream().filter(h -> h.id().equals(c.requestId())).findFirst();
        if (mine.isPresent()) {
            // This request was granted the lock it still holds: the same grant again, never a second one.
            s.reply = Reply.ok(s.rid(), s.slotId(), 200, LockView.forHolder(s.slotId(), mine.get()));
            return;
        }
        SlotConfig config = s.state.config();
        if (config == null && !s.policy.autoRegister()) {
            s.reply = s.notFound("slot " + s.slotId() + " not found, or you are not a member");
            return;
        }
        // Access first: the timeout check names the slot's limit, which is not a stranger's to learn.
        if (config != null && !s.mayUse(config, c.actor())) {
            s.reply = s.forbidden("you are not a member of slot " + s.slotId());
            return;
        }
        int maxTimeout = config == null ? s.policy.maxTimeout() : config.maxTimeout();
        int timeout = c.timeout() != null ? c.timeout() : config == null ? s.policy.defaultTimeout() : config.defaultTimeout();
        if (timeout < 1 || timeout > maxTimeout) {
            s.reply = Reply.error(s.rid(), s.slotId(), 400, "invalid_timeout",
                    "timeout must be an integer from 1 to " + maxTimeout + " seconds for this slot");
            return;
        }
        if (c.unit() != null && (config == null || !config.units().contains(c.unit()))) {
            s.reply = Reply.error(s.rid(), s.slotId(), 400, "unknown_unit", config == null || !config.hasNamedUnits()
                    ? "slot " + s.slotId() + " has no named units"
                    : "slot " + s.slotId() + " has no unit " + c.unit() + "; its units are " + config.units());
            return;
        }
        if (config == null) {
            s.register(new SlotConfig(null, null, List.of(c.actor().principal()), List.of(),
                    s.policy.defaultTimeout(), s.policy.maxTimeout(), s.now, s.now), c.actor());
        }
        String owner = c.owner() != null ? c.owner() : c.actor().principal();
        Instant until = s.now.plusSeconds(c.waitSeconds());
        Waiter me = new Waiter(s.rid(), owner, c.actor().principal(), timeout, c.metadata(), s.now, until, c.unit());
        List<Waiter> line = new ArrayList<>(s.state.waiters());
        line.add(me);
        if (grantedInTurn(line, me)) {
            // Granted at the end of the line: whoever waits ahead and can use the room now gets it first.
            s.state = s.state.withWaiters(line);
            new Settling(s).promote();
            s.reply = s.takeOtherReply(s.rid());
        } else if (c.waitSeconds() > 0) {
            if (c.longWaitCallSeconds() != null) {
                line.set(line.size() - 1, new Polls(s).start(me, c.longWaitCallSeconds()));
            }
            s.state = s.state.withWaiters(line);
            s.changed = true;
            s.timers.add(new ScheduledCommand(until, EndWait.of(s.slotId(), s.rid(), until)));
        } else {
            s.unitAsked = c.unit();
            s.refusedAsLocked = true; // answered after promote(), so the reply names whoever holds it then
        }
    }

    /** Whether {@code me}, last in {@code line}, would be granted if the room were handed out now. */
    private boolean grantedInTurn(List<Waiter> line, Waiter me) {
        Room room = Room.of(s.state, s.now);
        for (Waiter w : line) {
            if (room.take(w.unit()).isPresent() && w == me) {
                return true;
            }
        }
        return false;
    }

    /**
     * The waiter's call is gone, or its caller withdrew it: it leaves the line, so nobody is granted a
     * lock nobody will use. A closed call leaves no answer; a withdrawn wait is answered (and that
     * answer remembered) like any other that leaves the line, and a withdraw that comes again once it
     * is gone sends that same answer again rather than a new one.
     */
    void cancelWait(CancelWait c) {
        Optional<Waiter> mine = s.state.waiters().stream()
                .filter(w -> w.requestId().equals(c.waiterRequestId()) && w.principal().equals(c.actor().principal()))
                .findFirst();
        if (mine.isEmpty()) {
            if (c.withdrawn()) {
                s.state.endedWait(c.waiterRequestId()).ifPresent(e -> s.otherReplies.add(s.answerOf(e)));
            }
            return;
        }
        s.state = s.state.withWaiters(s.state.waiters().stream().filter(w -> w != mine.get()).toList());
        s.changed = true;
        if (c.withdrawn()) {
            s.leftLine(mine.get(), s.lockedReply(c.waiterRequestId(),
                    "the waiter left the line: its caller cancelled the wait"));
        }
    }
}
