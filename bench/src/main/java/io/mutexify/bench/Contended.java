package io.mutexify.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Scenario (b): every client waits for the same slot. Handoff latency is the time from the
 * moment the holder starts its release to the moment the next holder has its grant in hand.
 */
final class Contended {
    private final java.net.URI url;
    private final int clients;
    private final String slot;

    Contended(java.net.URI url, int clients, String slot) {
        this.url = url;
        this.clients = clients;
        this.slot = slot;
    }

    Report run(Duration warmup, Duration measured) throws Exception {
        Recorder handoff = new Recorder(3);
        AtomicLong grants = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong releaseStarted = new AtomicLong(0);
        ConcurrentLinkedQueue<long[]> holds = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measured.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            running.add(pool.submit(() -> {
                try (BenchHttp http = new BenchHttp(url)) {
                while (System.nanoTime() < end) {
                    try {
                        BenchHttp.Grant g = http.acquire(slot, 30, 60);
                        long granted = System.nanoTime();
                        if (g == null) {
                            errors.incrementAndGet();
                            continue;
                        }
                        long previousRelease = releaseStarted.get();
                        long released = System.nanoTime();
                        holds.add(new long[] {g.fence(), granted, released});
                        if (granted >= measureFrom && granted <= end) {
                            grants.incrementAndGet();
                            if (previousRelease != 0 && previousRelease < granted) {
                                handoff.recordValue(granted - previousRelease);
                            }
                        }
                        releaseStarted.set(released);
                        http.release(slot, g.token());
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        return new Report("contended: " + clients + " clients waiting on one slot", "grants", grants.get(),
                measured.toNanos() / 1e9, handoff.getIntervalHistogram(), "handoff latency", errors.get(),
                HoldCheck.check(new ArrayList<>(holds)));
    }
}
