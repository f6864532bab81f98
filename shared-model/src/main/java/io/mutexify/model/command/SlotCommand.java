package io.mutexify.model.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A change to one slot, travelling on the slot's session. Every command has a request id; a
 * client command seen again returns its stored reply. Timer commands ({@link Expire},
 * {@link EndWait}, {@link EndDelay}, {@link CheckPolls}), {@link CancelWait} and {@link StillWaiting}
 * are idempotent by nature and are not recorded.
 */
public sealed interface SlotCommand {
    String requestId();

    String slotId();

    Actor actor();

    /** Whether this command came from a client, so its reply is recorded for idempotency. */
    default boolean fromClient() {
        return true;
    }

    /**
     * Take the lock, or join the line for up to {@code waitSeconds}. {@code timeout} null means the
     * slot's default; {@code unit} names the unit wanted of a pool with named units, null for any.
     * {@code longWaitCallSeconds} is set for a long wait, one its call does not hold whole: how long
     * that call is held open; the client then polls the request, or its waiter leaves the line.
     */
    record Acquire(String requestId, String slotId, Actor actor, String owner, Integer timeout,
                   List<String> metadata, int waitSeconds, String unit,
                   @JsonInclude(JsonInclude.Include.NON_NULL) Integer longWaitCallSeconds) implements SlotCommand {
        public Acquire {
            metadata = List.copyOf(metadata);
        }

        /** An acquire whose wait, if any, its call holds whole. */
        public Acquire(String requestId, String slotId, Actor actor, String owner, Integer timeout,
                       List<String> metadata, int waitSeconds, String unit) {
            this(requestId, slotId, actor, owner, timeout, metadata, waitSeconds, unit, null);
        }

        /** An acquire of any unit. */
        public Acquire(String requestId, String slotId, Actor actor, String owner, Integer timeout,
                       List<String> metadata, int waitSeconds) {
            this(requestId, slotId, actor, owner, timeout, metadata, waitSeconds, null);
        }

        /** The same acquire as a long wait whose call is held open {@code callSeconds}. */
        public Acquire asLongWait(int callSeconds) {
            return new Acquire(requestId, slotId, actor, owner, timeout, metadata, waitSeconds, unit, callSeconds);
        }
    }

    /** Move the holder's expiry to now + {@code timeout}. */
    record Extend(String requestId, String slotId, Actor actor, String token, int timeout) implements SlotCommand {
    }

    /** Give the lock back. */
    record Release(String requestId, String slotId, Actor actor, String token) implements SlotCommand {
    }

    /**
     * Force-release by an owner or admin: the hold with lock id {@code lockId}, or the hold of
     * {@code unit}, or when neither is given every live hold.
     */
    record Break(String requestId, String slotId, Actor actor, String reason, String lockId, String unit)
            implements SlotCommand {
        /** Breaks every live hold. */
        public Break(String requestId, String slotId, Actor actor, String reason) {
            this(requestId, slotId, actor, reason, null, null);
        }
    }

    /** Register a slot. */
    record CreateSlot(String requestId, String slotId, Actor actor, SlotSpec spec) implements SlotCommand {
    }

    /** Change a slot's registration; null fields in the patch stay as they are. */
    record UpdateSlot(String requestId, String slotId, Actor actor, SlotSpec patch) implements SlotCommand {
    }

    /** Remove a slot's registration; its fence is kept. */
    record DeleteSlot(String requestId, String slotId, Actor actor) implements SlotCommand {
    }

    /** Timer: the hold with {@code fence} is due to expire at {@code at}. */
    record Expire(String requestId, String slotId, Actor actor, long fence, Instant at) implements SlotCommand {
        public static Expire of(String slotId, long fence, Instant at) {
            return new Expire("expire:" + slotId + ":" + fence + ":" + at.toEpochMilli(), slotId, Actor.SYSTEM, fence, at);
        }

        @Override
        public boolean fromClient() {
            return false;
        }
    }

    /**
     * {@code waiterRequestId} leaves the line and is never granted; a waiter of another principal, or
     * one already gone, is left alone. Sent by the Frontface on behalf of the waiter's own caller when
     * the call that waited closed before its answer ({@link #of}: the request gets no answer, as if it
     * had never asked, so a retry asks again), or when its caller took the long wait back with
     * {@code DELETE /api/v1/requests/{id}} ({@link #withdrawn}: the request gets its final answer, a
     * 409, stored and sent on its reply route, so every instance polling it and a retry of its key
     * answer the same).
     */
    record CancelWait(String requestId, String slotId, Actor actor, String waiterRequestId, boolean withdrawn)
            implements SlotCommand {
        /** The waiter's only call closed: it leaves the line unanswered. */
        public static CancelWait of(String slotId, Actor actor, String waiterRequestId) {
            return new CancelWait("cancel:" + slotId + ":" + waiterRequestId, slotId, actor, waiterRequestId, false);
        }

        /** The waiter's caller cancelled its long wait: it leaves the line with a final answer. */
        public static CancelWait withdrawn(String slotId, Actor actor, String waiterRequestId) {
            return new CancelWait("withdraw:" + slotId + ":" + waiterRequestId, slotId, actor, waiterRequestId, true);
        }

        /** Its effect (and any answer it makes, stored for the waiter's own request) is the same however often it comes: not recorded. */
        @Override
        public boolean fromClient() {
            return false;
        }
    }

    /**
     * The client of the long wait {@code waiterRequestId} polls it, in a call held open up to
     * {@code callSeconds}: its waiter stays in line until that call ends plus the poll grace. Sent by
     * the Frontface on behalf of the waiter's own caller; a waiter of another principal, one granted
     * or gone already, or a deadline that would move back, is left alone.
     */
    record StillWaiting(String requestId, String slotId, Actor actor, String waiterRequestId, int callSeconds)
            implements SlotCommand {
        public static StillWaiting of(String slotId, Actor actor, String waiterRequestId, int callSeconds) {
            return new StillWaiting("poll:" + slotId + ":" + waiterRequestId, slotId, actor, waiterRequestId,
                    callSeconds);
        }

        /** Nobody waits for its answer, and moving a deadline on again changes nothing harmful. */
        @Override
        public boolean fromClient() {
            return false;
        }
    }

    /**
     * Timer: check at {@code at} whether the long wait {@code waiterRequestId} was polled in time;
     * a waiter polled meanwhile has its check moved to its new deadline.
     */
    record CheckPolls(String requestId, String slotId, Actor actor, String waiterRequestId, Instant at)
            implements SlotCommand {
        public static CheckPolls of(String slotId, String waiterRequestId, Instant at) {
            return new CheckPolls("checkpolls:" + slotId + ":" + waiterRequestId + ":" + at.toEpochMilli(), slotId,
                    Actor.SYSTEM, waiterRequestId, at);
        }

        @Override
        public boolean fromClient() {
            return false;
        }
    }

    /**
     * Timer: the lock-delay that followed the involuntary end of the hold with {@code fence} is over
     * at {@code at}, so its unit may be granted again.
     */
    record EndDelay(String requestId, String slotId, Actor actor, long fence, Instant at) implements SlotCommand {
        public static EndDelay of(String slotId, long fence, Instant at) {
            return new EndDelay("enddelay:" + slotId + ":" + fence + ":" + at.toEpochMilli(), slotId, Actor.SYSTEM,
                    fence, at);
        }

        @Override
        public boolean fromClient() {
            return false;
        }
    }

    /** Timer: the waiter of request {@code waiterRequestId} stops waiting at {@code at}. */
    record EndWait(String requestId, String slotId, Actor actor, String waiterRequestId, Instant at) implements SlotCommand {
        public static EndWait of(String slotId, String waiterRequestId, Instant at) {
            return new EndWait("endwait:" + slotId + ":" + waiterRequestId, slotId, Actor.SYSTEM, waiterRequestId, at);
        }

        @Override
        public boolean fromClient() {
            return false;
        }
    }
}
