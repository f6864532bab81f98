package io.mutexify.model.machine;

import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.command.SlotCommand.Break;
import io.mutexify.model.command.SlotCommand.CancelWait;
import io.mutexify.model.command.SlotCommand.CheckPolls;
import io.mutexify.model.command.SlotCommand.CreateSlot;
import io.mutexify.model.command.SlotCommand.DeleteSlot;
import io.mutexify.model.command.SlotCommand.EndDelay;
import io.mutexify.model.command.SlotCommand.EndWait;
import io.mutexify.model.command.SlotCommand.Expire;
import io.mutexify.model.command.SlotCommand.Extend;
import io.mutexify.model.command.SlotCommand.Release;
import io.mutexify.model.command.SlotCommand.StillWaiting;
import io.mutexify.model.command.SlotCommand.UpdateSlot;
import io.mutexify.model.slot.SlotState;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The slot state machine: {@code (state, command, now, tokens) → outcome}. Pure: no I/O, no clock,
 * no randomness; the caller passes the time and the fresh tokens for the grants a command makes.
 *
 * <p>Every command first settles the slot at {@code now} (expired holds end, lock-delays that are
 * over end, waiters whose wait ended or whose long wait went unpolled leave the line), then does its own work, then hands the room
 * it has to the waiters, oldest first. A slot is a pool of {@code capacity} places, optionally
 * named units; a slot with one place behaves as a plain lock.
 *
 * <p>One answer per request: a command whose request already has an answer gets that answer and
 * does nothing else. The machine knows the answers made in this step (a retry of a waiter whose
 * wait just ended while settling), those of waiters that left the line recently without the lock
 * ({@link SlotState#endedWaits()}), and the grant of the request holding the lock; every other
 * recorded reply is the caller's to look up first (the Lockkeeper answers those from the store).
 */
public final class SlotMachine {
    /** How long a waiter that left the line without the lock is remembered; its reply is stored far longer. */
    static final Duration ENDED_WAIT_MEMORY = Duration.ofMinutes(15);
    /** At most this many are remembered per slot, newest kept, so a slot's state stays small. */
    static final int MAX_ENDED_WAITS = 256;

    private final Policy policy;

    public SlotMachine(Policy policy) {
        this.policy = policy;
    }

    /**
     * Applies {@code command} to {@code state} at {@code now}; {@code freshToken} is used if a lock is
     * granted. Enough for a slot with one place, which grants at most once per command.
     */
    public Outcome apply(SlotState state, SlotCommand command, Instant now, String freshToken) {
        boolean[] used = {false};
        return apply(state, command, now, () -> {
            if (used[0]) {
                throw new IllegalStateException("this command grants more than once; pass a token supplier");
            }
            used[0] = true;
            return freshToken;
        });
    }

    /** Applies {@code command} to {@code state} at {@code now}, taking one token from {@code tokens} per grant. */
    public Outcome apply(SlotState state, SlotCommand command, Instant now, Supplier<String> tokens) {
        if (!state.id().equals(command.slotId())) {
            throw new IllegalArgumentException("command for " + command.slotId() + " applied to " + state.id());
        }
        Step step = new Step(policy, state, command, now, tokens);
        Settling settling = new Settling(step);
        settling.settle();
        // Java 17 has no pattern switch; the sealed interface keeps this list complete.
        if (settling.alreadyAnswered()) {
            // The settling above is all this step does (and whatever it freed is handed on below).
        } else if (command instanceof Acquire c) {
            new Waiting(step).acquire(c);
        } else if (command instanceof Extend c) {
            new Holds(step).extend(c);
        } else if (command instanceof Release c) {
            new Holds(step).release(c);
        } else if (command instanceof Break c) {
            new Holds(step).breakLock(c);
        } else if (command instanceof CreateSlot c) {
            new SlotAdmin(step).create(c);
        } else if (command instanceof UpdateSlot c) {
            new SlotAdmin(step).update(c);
        } else if (command instanceof DeleteSlot c) {
            new SlotAdmin(step).delete(c);
        } else if (command instanceof Expire c) {
            settling.rearmExpiry(c);
        } else if (command instanceof EndWait c) {
            settling.rearmEndWait(c);
        } else if (command instanceof EndDelay c) {
            settling.rearmEndDelay(c);
        } else if (command instanceof CancelWait c) {
            new Waiting(step).cancelWait(c);
        } else if (command instanceof StillWaiting c) {
            new Polls(step).stillWaiting(c);
        } else if (command instanceof CheckPolls c) {
            new Polls(step).check(c);
        }
        settling.promote();
        settling.finishRefusal();
        return step.outcome();
    }

}
