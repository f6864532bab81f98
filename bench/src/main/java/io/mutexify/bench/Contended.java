package io.mutexify.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Scenario (b): every client waits for the same slot. Handoff latency is the time from the
 * moment the holder starts its release to the moment the next holder has its grant in hand.
 */
final class Contended {
    private final Driver.Factory drivers;
    private final int clients;
    private final String slot;

    Contended(Driver.Factory drivers, int clients, String slot) {
        this.drivers = drivers;
        this.clients = clients;
        this.slot = slot;
    }

    Report run(Duration warmup, Duration measured) throws Exception {
        Recorder handoff = new Recorder(3);
        AtomicLong grants = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong releaseStarted = new AtomicLong(0);
        ConcurrentLinkedQueue<long[]> holds = new ConcurrentLinkedQueue<>();
        Window window = new Window(warmup, measured);
        Clients.run(clients, drivers, (client, driver) -> {
            while (window.open()) {
                try {
                    Driver.Grant g = driver.acquire(slot, 30, 60);
                    long granted = System.nanoTime();
                    if (g == null) {
                        errors.incrementAndGet();
                        continue;
                    }
                    long previousRelease = releaseStarted.get();
                    long released = System.nanoTime();
                    holds.add(new long[] {g.fence(), granted, released});
                    if (window.counts(granted, granted)) {
                        grants.incrementAndGet();
                        if (previousRelease != 0 && previousRelease < granted) {
                            handoff.recordValue(granted - previousRelease);
                        }
                    }
                    releaseStarted.set(released);
                    driver.release(slot, g.token());
                } catch (Exception e) {
                    errors.incrementAndGet();
                }
            }
        });
        return new Report("contended: " + clients + " clients waiting on one slot", "grants", grants.get(),
                window.seconds(), handoff.getIntervalHistogram(), "handoff latency", errors.get(),
                HoldCheck.check(new ArrayList<>(holds)));
    }
}
