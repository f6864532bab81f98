package io.mutexify.azure.functions.frontface;

import io.mutexify.frontface.watch.SlotWatch;
import io.mutexify.model.port.SlotReader;
import io.mutexify.model.slot.SlotState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Long-poll watches for a Frontface that does not run next to the Lockkeeper (on Azure they are
 * different function apps): it re-reads the store every {@code interval} until the slot's version
 * passes the index. The global index is the sum of every slot's version: versions never go back and
 * slots never leave the store's catalog, so it only grows, and it grows with every change. It is
 * read from the store at most once per {@code interval}, however many list watches are open.
 */
public final class PollingSlotWatch implements SlotWatch, AutoCloseable {
    private final SlotReader reader;
    /** The longest one watch is held here, well inside the Functions host's 230 s. */
    static final Duration MAX_WATCH = Duration.ofSeconds(200);

    private final Duration interval;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mutexify-watch-poll");
        t.setDaemon(true);
        return t;
    });

    private record Sum(long value, long readAtNanos) {
    }

    private final AtomicReference<Sum> lastSum = new AtomicReference<>();

    public PollingSlotWatch(SlotReader reader, Duration interval) {
        this.reader = reader;
        this.interval = interval;
    }

    @Override
    public CompletableFuture<Void> awaitSlot(String slotId, long index, Duration max) {
        return poll(() -> reader.load(slotId).version() > index, max);
    }

    @Override
    public CompletableFuture<Void> awaitAny(long index, Duration max) {
        return poll(() -> globalIndex() > index, max);
    }

    @Override
    public long globalIndex() {
        Sum last = lastSum.get();
        long now = System.nanoTime();
        if (last != null && now - last.readAtNanos() < interval.toNanos()) {
            return last.value();
        }
        long sum = 0;
        for (SlotState s : reader.loadAll()) {
            sum += s.version();
        }
        lastSum.set(new Sum(sum, now));
        return sum;
    }

    private CompletableFuture<Void> poll(java.util.function.BooleanSupplier changed, Duration max) {
        // Functions cuts a call off at 230 s: a longer watch answers "no change yet" before that, and
        // its client polls again with the same index.
        long waitMs = Math.min(max.toMillis(), MAX_WATCH.toMillis());
        CompletableFuture<Void> done = new CompletableFuture<Void>().completeOnTimeout(null, waitMs, TimeUnit.MILLISECONDS);
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        task.set(timer.scheduleWithFixedDelay(() -> {
            try {
                if (changed.getAsBoolean()) {
                    done.complete(null);
                }
            } catch (RuntimeException e) {
                // A failed read only delays the answer; the watch ends at its timeout at the latest.
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS));
        done.whenComplete((v, e) -> task.get().cancel(false));
        return done;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
