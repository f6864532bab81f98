package io.mutexify.frontface.watch;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.mutexify.model.port.SlotChangeListener;
import io.mutexify.model.slot.SlotState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * In-process long-poll watches, fed by the Lockkeeper's commits in the same JVM. The global index
 * counts commits since start; it restarts at a higher base after a restart (the start time), so a
 * client holding an old index simply sees a change. Watches are woken on a thread of their own:
 * the Lockkeeper's commit thread only records the change, so however many watches are open (and
 * whatever their answers cost to build) no commit waits for them.
 */
public final class ChangeNotifier implements SlotWatch, SlotChangeListener {
    private static final int RECENT_SLOTS = 65_536;
    private final Map<String, List<Pending>> bySlot = new ConcurrentHashMap<>();
    private final List<Pending> anySlot = new CopyOnWriteArrayList<>();
    /**
     * The last committed version of recently changed slots, bounded so that a server whose
     * million slots all change once does not keep a million entries. It only closes the gap
     * between a watcher's read and its registration (microseconds); an entry evicted after
     * {@value #RECENT_SLOTS} other slots changed cannot matter to a watch registering now.
     */
    private final Map<String, Long> versions = Caffeine.newBuilder().maximumSize(RECENT_SLOTS)
            .executor(Runnable::run).<String, Long>build().asMap();
    private final AtomicLong global = new AtomicLong(System.currentTimeMillis());
    private final ExecutorService wakeups = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mutexify-watch-wakeup");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    private record Pending(long index, CompletableFuture<Void> future) {
    }

    @Override
    public void changed(SlotState committed) {
        versions.merge(committed.id(), committed.version(), Math::max);
        long g = global.incrementAndGet();
        String id = committed.id();
        long version = committed.version();
        // Nobody watching: no hand-off to the wake-up thread (it costs a thread switch per commit). A watch
        // registered from now on sees the version and index just recorded when it re-checks after registering.
        List<Pending> watching = bySlot.get(id);
        if (anySlot.isEmpty() && (watching == null || watching.isEmpty())) {
            return;
        }
        try {
            wakeups.execute(() -> wake(id, version, g));
        } catch (RejectedExecutionException closing) {
            // close() answers every open watch itself
        }
    }

    private void wake(String slotId, long version, long g) {
        List<Pending> waiting = bySlot.get(slotId);
        if (waiting != null) {
            waiting.stream().filter(p -> p.index < version).forEach(p -> p.future.complete(null));
        }
        anySlot.stream().filter(p -> p.index < g).forEach(p -> p.future.complete(null));
    }

    @Override
    public CompletableFuture<Void> awaitSlot(String slotId, long index, Duration max) {
        Pending p = new Pending(index, timed(max));
        // Added and removed under the map's lock of the slot, so a slot with no open watch keeps no entry.
        bySlot.compute(slotId, (k, list) -> {
            List<Pending> l = list == null ? new CopyOnWriteArrayList<>() : list;
            l.add(p);
            return l;
        });
        // Re-check after registering, so a commit between the caller's read and now is not missed.
        if (closed || versions.getOrDefault(slotId, Long.MIN_VALUE) > index) {
            p.future.complete(null);
        }
        // A completed watch leaves its list, so lists hold only the open ones.
        p.future.whenComplete((v, e) -> bySlot.computeIfPresent(slotId, (k, list) -> {
            list.remove(p);
            return list.isEmpty() ? null : list;
        }));
        return p.future;
    }

    @Override
    public CompletableFuture<Void> awaitAny(long index, Duration max) {
        Pending p = new Pending(index, timed(max));
        anySlot.add(p);
        if (closed || global.get() > index) {
            p.future.complete(null);
        }
        p.future.whenComplete((v, e) -> anySlot.remove(p));
        return p.future;
    }

    /**
     * Answers every open watch now, and every later one at once: on shutdown a long-poll (a browser
     * watching the slot list) must not hold the HTTP server's graceful stop for its full wait.
     */
    public void close() {
        closed = true;
        wakeups.shutdown();
        anySlot.forEach(p -> p.future.complete(null));
        bySlot.values().forEach(list -> list.forEach(p -> p.future.complete(null)));
    }

    @Override
    public long globalIndex() {
        return global.get();
    }

    private static CompletableFuture<Void> timed(Duration max) {
        return new CompletableFuture<Void>().completeOnTimeout(null, max.toMillis(), TimeUnit.MILLISECONDS);
    }
}
