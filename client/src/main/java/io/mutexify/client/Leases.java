package io.mutexify.client;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The leases a client holds and the threads that keep them: a timer thread that schedules renewals
 * and loss checks, and workers that run the (blocking) renewals and listeners.
 */
final class Leases {
    final Transport transport;
    /** How long before a lease's safe deadline it is declared lost if not renewed. */
    final Duration lossMargin;
    /** Schedules renewals and loss checks; never blocks. */
    final ScheduledThreadPoolExecutor timers;
    /** Runs the blocking renewals, quiet releases and listeners. */
    final ExecutorService workers;
    private final Set<Lease> active = ConcurrentHashMap.newKeySet();

    Leases(Transport transport, Duration lossMargin) {
        this.transport = transport;
        this.lossMargin = lossMargin;
        this.timers = new ScheduledThreadPoolExecutor(1, daemon("mutexify-lease-timer"));
        timers.setRemoveOnCancelPolicy(true);
        this.workers = Executors.newCachedThreadPool(daemon("mutexify-lease-worker"));
    }

    /**
     * A started lease for {@code granted}, whose acquire was first sent at {@code sentNanos}.
     * {@code replayable}: the grant answers a caller-chosen key, so it may be a stored one from long ago.
     */
    Lease open(LockInfo granted, long sentNanos, boolean replayable) {
        Lease lease = new Lease(this, granted, sentNanos);
        active.add(lease);
        try {
            lease.start(replayable);
        } catch (RuntimeException e) {
            active.remove(lease);
            throw e;
        }
        return lease;
    }

    void forget(Lease lease) {
        active.remove(lease);
    }

    /** Releases every lease still held and stops the threads. */
    void closeAll() {
        for (Lease lease : List.copyOf(active)) {
            lease.close();
        }
        timers.shutdownNow();
        workers.shutdown();
    }

    static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
