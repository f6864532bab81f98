package io.mutexify.frontface.dispatch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Times out futures as {@link CompletableFuture#orTimeout} does, on a coarse grid of deadlines: the
 * futures due in one step of the grid share one timer task.
 *
 * <p>Every call sets a deadline that is almost never reached. With one timer task per call, each
 * call whose deadline is the earliest wakes the timer thread (and its removal on completion wakes it
 * again later): thousands of wake-ups a second for nothing. Here a new timer task is needed once
 * per step, and a step is 1/64 of the timeout (5 ms to 1 s), so a future times out at most that much
 * after its deadline, never before it.
 */
final class CoarseTimeouts {
    private static final long MIN_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_STEP_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_TIMEOUT_NANOS = TimeUnit.DAYS.toNanos(1_000);
    /** Shared, like the JDK's own delayer: one daemon thread for every dispatcher in the process. */
    static final CoarseTimeouts SHARED = new CoarseTimeouts();

    private final ConcurrentHashMap<Long, Step> steps = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;

    CoarseTimeouts() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mutexify-timeouts");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * Completes {@code future} with a {@link TimeoutException} if it is not done within {@code timeout}
     * (and at most one step later); returns {@code future}.
     */
    <T> CompletableFuture<T> orTimeout(CompletableFuture<T> future, long timeout, TimeUnit unit) {
        // Capped far beyond any deadline in use, so the sums below cannot overflow.
        long nanos = Math.min(MAX_TIMEOUT_NANOS, Math.max(0, unit.toNanos(timeout)));
        long step = Math.min(MAX_STEP_NANOS, Math.max(MIN_STEP_NANOS, nanos / 64));
        long due = System.nanoTime() + nanos;
        // Rounded up to the step: never early. Keys of different steps may meet; they are one deadline.
        long key = due + Math.floorMod(-due, step);
        while (!future.isDone()) {
            Step[] created = {null};
            Step s = steps.computeIfAbsent(key, k -> created[0] = new Step(k));
            if (created[0] != null) {
                timer.schedule(() -> expire(s), Math.max(0, key - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            if (s.add(future)) {
                future.whenComplete((r, e) -> s.remove(future));
                break;
            }
            // That step just expired: its deadline has passed, so a fresh one with the same key expires at once.
        }
        return future;
    }

    /** Steps waiting for their timer task, for tests. */
    int pendingSteps() {
        return steps.size();
    }

    private void expire(Step s) {
        steps.remove(s.key, s);
        for (CompletableFuture<?> f : s.expire()) {
            f.completeExceptionally(new TimeoutException());
        }
    }

    /** The futures due at one deadline of the grid. */
    private static final class Step {
        final long key;
        private final Set<CompletableFuture<?>> futures = new HashSet<>();
        private boolean expired;

        Step(long key) {
            this.key = key;
        }

        synchronized boolean add(CompletableFuture<?> f) {
            if (expired) {
                return false;
            }
            futures.add(f);
            return true;
        }

        synchronized void remove(CompletableFuture<?> f) {
            futures.remove(f);
        }

        synchronized List<CompletableFuture<?>> expire() {
            expired = true;
            List<CompletableFuture<?>> due = new ArrayList<>(futures);
            futures.clear();
            return due;
        }
    }
}
