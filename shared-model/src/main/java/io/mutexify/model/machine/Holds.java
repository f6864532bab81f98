package io.mutexify.model.machine;

import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand.Break;
import io.mutexify.model.command.SlotCommand.Expire;
import io.mutexify.model.command.SlotCommand.Extend;
import io.mutexify.model.command.SlotCommand.Release;
import io.mutexify.model.event.EventType;
import io.mutexify.model.slot.HistoryEntry.EndReason;
import io.mutexify.model.slot.Hold;
import io.mutexify.model.slot.LockView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What is done to a live hold: extending it, releasing it, breaking it. */
final class Holds {
    private final Step s;

    Holds(Step s) {
        this.s = s;
    }

    void extend(Extend c) {
        Optional<Hold> held = s.heldWithToken(c.token());
        if (held.isEmpty()) {
            return;
        }
        Hold hold = held.get();
        if (!s.mayUse(s.state.config(), c.actor())) {
            s.reply = s.forbidden("you are not a member of slot " + s.slotId());
            return;
        }
        int max = s.state.config().maxTimeout();
        if (c.timeout() < 1 || c.timeout() > max) {
            s.reply = Reply.error(s.rid(), s.slotId(), 400, "invalid_timeout",
                    "timeout must be an integer from 1 to " + max + " seconds for this slot");
            return;
        }
        Instant newExpiry = s.now.plusSeconds(c.timeout());
        if (newExpiry.isBefore(hold.expireAt())) {
            s.reply = Reply.error(s.rid(), s.slotId(), 409, "would_shorten",
                    "extending by " + c.timeout() + "s would end the lock earlier than its current expiry "
                            + hold.expireAt());
            return;
        }
        Hold extended = hold.extendedTo(c.timeout(), s.now);
        s.state = s.state.withHolds(s.replaced(hold, extended));
        s.changed = true;
        s.timers.add(new ScheduledCommand(extended.expireAt(), Expire.of(s.slotId(), extended.fence(), extended.expireAt())));
        s.event(EventType.LOCK_EXTENDED, extended, c.actor(), null);
        s.reply = Reply.ok(s.rid(), s.slotId(), 200, LockView.forHolder(s.slotId(), extended));
    }

    void release(Release c) {
        s.heldWithToken(c.token()).ifPresent(hold -> {
            // The holder may give the lock back even if its membership was withdrawn meanwhile;
            // anyone else needs the token *and* a right to use the slot.
            if (!hold.principal().equals(c.actor().principal()) && !s.mayUse(s.state.config(), c.actor())) {
                s.reply = s.forbidden("only the holder or a member of slot " + s.slotId() + " may release its lock");
                return;
            }
            s.endHold(hold, EndReason.RELEASED, s.now, c.actor(), "released");
            s.reply = Reply.noContent(s.rid(), s.slotId());
        });
    }

    /** Breaks the hold named by lock id or unit, or every live hold; answers with the first one broken. */
    void breakLock(Break c) {
        if (!s.requireRegistered() || !s.requireOwner(c.actor())) {
            return;
        }
        List<Hold> targets = s.state.liveHolds(s.now).stream()
                .filter(h -> c.lockId() == null || h.id().equals(c.lockId()))
                .filter(h -> c.unit() == null || c.unit().equals(h.unit()))
                .toList();
        if (targets.isEmpty()) {
            String what = c.unit() != null ? "unit " + c.unit() + " of slot " + s.slotId()
                    : c.lockId() != null ? "lock " + c.lockId() + " of slot " + s.slotId() : "slot " + s.slotId();
            s.reply = Reply.error(s.rid(), s.slotId(), 404, "not_held", what + " is not held");
            return;
        }
        for (Hold h : targets) {
            s.endHold(h, EndReason.BROKEN, s.now, c.actor(), c.reason() == null ? "broken" : c.reason());
        }
        s.reply = Reply.ok(s.rid(), s.slotId(), 200, LockView.forPublic(s.slotId(), targets.get(0)));
    }
}
