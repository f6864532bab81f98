package io.mutexify.model.machine;

import io.mutexify.model.command.Actor;
import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand.EndDelay;
import io.mutexify.model.command.SlotCommand.EndWait;
import io.mutexify.model.command.SlotCommand.Expire;
import io.mutexify.model.slot.EndedWait;
import io.mutexify.model.slot.HistoryEntry.EndReason;
import io.mutexify.model.slot.Hold;
import io.mutexify.model.slot.LockView;
import io.mutexify.model.slot.Room;
import io.mutexify.model.slot.Waiter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Settling a slot at the step's time (expiries, lock-delays, ended waits), handing its room to waiters, and timers that fired early. */
final class Settling {
    private final Step s;

    Settling(Step s) {
        this.s = s;
    }

    /**
     * Ends expired holds and lock-delays and drops waiters whose wait ended or whose long wait went
     * unpolled, as if their timers had run; so nothing past its deadline is ever granted.
     */
    void settle() {
        for (Hold hold : s.state.holds()) {
            if (!hold.isLiveAt(s.now)) {
                s.endHold(hold, EndReason.EXPIRED, hold.expireAt(), Actor.SYSTEM, "timeout");
            }
        }
        if (s.state.delaysAt(s.now).size() != s.state.delays().size()) {
            s.state = s.state.withDelays(s.state.delaysAt(s.now));
            s.changed = true;
        }
        List<Waiter> still = new ArrayList<>();
        for (Waiter w : s.state.waiters()) {
            if (w.isWaitingAt(s.now)) {
                still.add(w);
            } else if (w.isUnpolledAt(s.now) && s.now.isBefore(w.waitUntil())) {
                s.leftLine(w, s.lockedReply(w.requestId(), "the waiter left the line: its request "
                        + "was not polled within " + s.policy.pollGrace().toSeconds() + " s, so its client was taken for gone"));
            } else {
                s.leftLine(w, s.lockedReply(w.requestId(), "the lock was not free before the wait ended"));
            }
        }
        if (still.size() != s.state.waiters().size()) {
            s.state = s.state.withWaiters(still);
            s.changed = true;
        }
    }

    /**
     * Whether this request was answered already: while settling in this step (its wait had
     * just ended), or when it left the line earlier. That answer becomes the command's reply,
     * so a retry is never taken for a new request under the same id.
     */
    boolean alreadyAnswered() {
        if (!s.command.fromClient()) {
            return false;
        }
        for (int i = 0; i < s.otherReplies.size(); i++) {
            if (s.otherReplies.get(i).requestId().equals(s.rid())) {
                s.reply = s.otherReplies.remove(i);
                return true;
            }
        }
        Optional<EndedWait> ended = s.state.endedWait(s.rid());
        ended.ifPresent(e -> s.reply = s.answerOf(e));
        return ended.isPresent();
    }

    /**
     * Hands the room a registered slot has to its waiters, oldest first. A waiter for a unit that
     * is taken lets younger waiters for other units pass, but never one that wants the same room.
     */
    void promote() {
        if (s.state.waiters().isEmpty() || !s.state.isRegistered()) {
            return;
        }
        Room room = Room.of(s.state, s.now);
        if (room.spare() == 0) {
            return;
        }
        for (Waiter w : s.state.waiters()) {
            Optional<Room.Seat> seat = room.take(w.unit());
            if (seat.isEmpty()) {
                continue;
            }
            s.state = s.state.withWaiters(s.state.waiters().stream().filter(x -> x != w).toList());
            Hold granted = s.grant(w.requestId(), w.owner(), w.principal(), w.timeout(), w.metadata(), seat.get().unit());
            s.otherReplies.add(Reply.ok(w.requestId(), s.slotId(), 200, LockView.forHolder(s.slotId(), granted)));
        }
    }

    void finishRefusal() {
        if (s.refusedAsLocked) {
            s.reply = s.lockedReply(s.rid(), refusalMessage());
        }
    }

    private String refusalMessage() {
        boolean delayed = s.state.delaysAt(s.now).stream()
                .anyMatch(d -> s.unitAsked == null ? s.state.liveHolds(s.now).isEmpty() : s.unitAsked.equals(d.unit()));
        if (delayed) {
            return (s.unitAsked != null ? "unit " + s.unitAsked + " of slot " : "slot ") + s.slotId()
                    + " is in its lock-delay after a hold ended involuntarily";
        }
        if (s.unitAsked != null) {
            return "unit " + s.unitAsked + " of slot " + s.slotId() + " is not free";
        }
        return s.state.config() != null && s.state.config().capacity() > 1
                ? "every unit of slot " + s.slotId() + " is taken"
                : "slot " + s.slotId() + " is held by another";
    }

    /** settle() already ended the hold if it was due; a timer that fired early is armed again. */
    void rearmExpiry(Expire c) {
        if (s.state.holds().stream().anyMatch(h -> h.fence() == c.fence() && h.expireAt().equals(c.at()))) {
            s.timers.add(new ScheduledCommand(c.at(), c));
        }
    }

    /** settle() already ended the lock-delay if it was over; a timer that fired early is armed again. */
    void rearmEndDelay(EndDelay c) {
        if (s.state.delays().stream().anyMatch(d -> d.fence() == c.fence() && d.until().equals(c.at()))) {
            s.timers.add(new ScheduledCommand(c.at(), c));
        }
    }

    void rearmEndWait(EndWait c) {
        s.state.waiters().stream()
                .filter(w -> w.requestId().equals(c.waiterRequestId()) && w.waitUntil().equals(c.at()))
                .findFirst()
                .ifPresent(w -> s.timers.add(new ScheduledCommand(c.at(), c)));
    }
}
