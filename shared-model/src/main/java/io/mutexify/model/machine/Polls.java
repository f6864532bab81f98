package io.mutexify.model.machine;

import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand.CheckPolls;
import io.mutexify.model.command.SlotCommand.StillWaiting;
import io.mutexify.model.slot.Waiter;
import java.time.Instant;
import java.util.List;

/**
 * Long waits stay in line only while their client polls: each poll moves the waiter's deadline to
 * the end of the poll's call plus the grace. The timer that checks a deadline is moved lazily: it
 * fires at the deadline it was set for, and if polls moved the deadline meanwhile it is set again
 * for the new one, so polls themselves schedule nothing. Settling drops a waiter past its deadline
 * before anything is granted, whether or not its timer has fired.
 */
final class Polls {
    private final Step s;

    Polls(Step s) {
        this.s = s;
    }

    /** A new long wait's waiter: polled by the end of its first call plus the grace, and its check timer. */
    Waiter start(Waiter w, int callSeconds) {
        Instant by = deadline(callSeconds);
        s.timers.add(new ScheduledCommand(by, CheckPolls.of(s.slotId(), w.requestId(), by)));
        return w.withPolls(by, by);
    }

    /** The waiter's client is still there, in a call held up to {@code callSeconds}: its deadline moves on. */
    void stillWaiting(StillWaiting c) {
        moveOn(c.waiterRequestId(), c.actor().principal(), c.callSeconds());
    }

    /** Moves the deadline of {@code principal}'s long wait {@code requestId}; never back, never another's. */
    void moveOn(String requestId, String principal, int callSeconds) {
        Instant by = deadline(callSeconds);
        List<Waiter> line = s.state.waiters().stream()
                .map(w -> w.requestId().equals(requestId) && w.principal().equals(principal) && w.isLongWait()
                        && by.isAfter(w.pollBy()) ? w.withPolls(by, w.pollCheckAt()) : w)
                .toList();
        if (!line.equals(s.state.waiters())) {
            s.state = s.state.withWaiters(line);
            s.changed = true;
        }
    }

    /**
     * Settling already dropped the waiter if its deadline passed. One still in line whose check this
     * is gets its check again at its current deadline (the same time if the timer fired early); any
     * other check of it is a stale copy and does nothing.
     */
    void check(CheckPolls c) {
        s.state.waiters().stream()
                .filter(w -> w.requestId().equals(c.waiterRequestId()) && c.at().equals(w.pollCheckAt()))
                .findFirst()
                .ifPresent(w -> {
                    s.timers.add(new ScheduledCommand(w.pollBy(), CheckPolls.of(s.slotId(), w.requestId(), w.pollBy())));
                    if (!w.pollBy().equals(w.pollCheckAt())) {
                        s.state = s.state.withWaiters(s.state.waiters().stream()
                                .map(x -> x == w ? x.withPolls(x.pollBy(), x.pollBy()) : x).toList());
                        s.changed = true;
                    }
                });
    }

    private Instant deadline(int callSeconds) {
        return s.now.plusSeconds(Math.max(0, callSeconds)).plus(s.policy.pollGrace());
    }
}
