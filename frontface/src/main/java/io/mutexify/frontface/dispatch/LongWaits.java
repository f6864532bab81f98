package io.mutexify.frontface.dispatch;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mutexify.model.command.Actor;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.command.SlotCommand.CancelWait;
import io.mutexify.model.command.SlotCommand.StillWaiting;
import io.mutexify.model.port.CommandQueue;
import io.mutexify.model.port.PendingRequests;
import io.mutexify.model.port.PendingRequests.LongWait;
import io.mutexify.model.slot.Limits;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes a long wait's polls and cancels on to its slot. A long wait (one that answered 202) stays
 * in line while its client polls {@code /api/v1/requests/{id}}; the slot machine keeps its
 * deadline, so every poll, on whichever instance, sends a {@link StillWaiting} on the slot's
 * session, and the machine takes a waiter nobody polls out of the line. Which slot a request waits
 * on is known here for the waits this instance answered, and read once from the durable
 * {@link PendingRequests} record for the others.
 */
public final class LongWaits {
    private static final Logger log = LoggerFactory.getLogger(LongWaits.class);
    /**
     * A poll whose call ends less than this after the last one passed on from here is not passed on:
     * the slot's deadline already covers it to within this, and a burst of polls costs one write.
     */
    static final Duration MIN_STEP = Duration.ofMillis(250);

    private final CommandQueue queue;
    private final PendingRequests durable;
    /** The long waits this instance answered or was asked about, by request id; they outlive no wait. */
    private final Cache<String, LongWait> known = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofSeconds(Limits.MAX_WAIT_SECONDS).plus(PendingRequests.LIFETIME))
            .maximumSize(100_000)
            .executor(Runnable::run)
            .build();
    /** When the call of the last poll passed on from here ends, per request (nanoTime). */
    private final Cache<String, Long> passedOnUntil = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(Limits.MAX_CALL_WAIT_SECONDS).plus(MIN_STEP))
            .maximumSize(100_000)
            .executor(Runnable::run)
            .build();

    LongWaits(CommandQueue queue, PendingRequests durable) {
        this.queue = queue;
        this.durable = durable;
    }

    /** {@code command} is a long wait whose first call just answered 202. */
    void started(Acquire command) {
        known.put(command.requestId(), new LongWait(command.slotId(), command.actor().principal()));
    }

    /**
     * {@code actor} polls {@code requestId}, which has no answer yet, in a call held up to {@code hold}:
     * if it is that principal's long wait, its waiter stays in line for that call and the grace.
     */
    public void polled(Actor actor, String requestId, Duration hold) {
        mine(actor, requestId).ifPresent(w -> {
            if (!stepsOn(requestId, hold)) {
                return;
            }
            int seconds = (int) Math.min(Limits.MAX_CALL_WAIT_SECONDS, (hold.toMillis() + 999) / 1000);
            send(StillWaiting.of(w.slotId(), actor, requestId, seconds), "a poll of a long wait");
        });
    }

    /** Whether a poll held {@code hold} ends at least {@link #MIN_STEP} after the last one passed on; if so it is now the last. */
    private boolean stepsOn(String requestId, Duration hold) {
        long ends = System.nanoTime() + hold.toNanos();
        boolean[] on = {false};
        passedOnUntil.asMap().compute(requestId, (id, last) -> {
            on[0] = last == null || ends - last >= MIN_STEP.toNanos();
            return on[0] ? Long.valueOf(ends) : last;
        });
        return on[0];
    }

    /**
     * Takes {@code actor}'s long wait {@code requestId} out of its line; false if it is no long wait
     * of theirs. The slot answers the request (409), and that answer reaches every instance: the
     * durable record stays, as the address of the answer and so other instances answer 202 until
     * it is stored. Throws {@link io.mutexify.model.port.QueueFullException} if the queue refuses:
     * the caller is told to retry rather than told it left the line.
     */
    public boolean cancel(Actor actor, String requestId) {
        Optional<LongWait> wait = mine(actor, requestId);
        if (wait.isEmpty()) {
            return false;
        }
        queue.send(CancelWait.withdrawn(wait.get().slotId(), actor, requestId));
        return true;
    }

    private Optional<LongWait> mine(Actor actor, String requestId) {
        LongWait w = known.getIfPresent(requestId);
        if (w == null) {
            w = durable.longWait(requestId).orElse(null);
            if (w != null) {
                known.put(requestId, w);
            }
        }
        return Optional.ofNullable(w).filter(x -> x.principal().equals(actor.principal()));
    }

    private void send(SlotCommand command, String what) {
        try {
            queue.send(command);
        } catch (RuntimeException e) {
            // Full, closing or unreachable: the next poll tries again, and the grace outlasts one missed poll.
            log.info("{} of slot {} was not passed on: {}", what, command.slotId(), e.getMessage());
        }
    }
}
