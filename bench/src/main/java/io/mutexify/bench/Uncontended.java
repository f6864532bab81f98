package io.mutexify.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/** Scenario (a): every client cycles acquire + release on a slot of its own. */
final class Uncontended {
    private final Driver.Factory drivers;
    private final int clients;
    private final String prefix;

    Uncontended(Driver.Factory drivers, int clients, String prefix) {
        this.drivers = drivers;
        this.clients = clients;
        this.prefix = prefix;
    }

    Report run(Duration warmup, Duration measured) throws Exception {
        Recorder recorder = new Recorder(3);
        Recorder acquires = new Recorder(3);
        AtomicLong cycles = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Window window = new Window(warmup, measured);
        Clients.run(clients, drivers, (client, driver) -> {
            String slot = prefix + "-" + client;
            long lastFence = 0;
            while (window.open()) {
                long t0 = System.nanoTime();
                long granted;
                try {
                    Driver.Grant g = driver.acquire(slot, 30, 0);
                    granted = System.nanoTime();
                    if (g == null || g.fence() <= lastFence) {
                        errors.incrementAndGet();
                        continue;
                    }
                    lastFence = g.fence();
                    driver.release(slot, g.token());
                } catch (Exception e) {
                    errors.incrementAndGet();
                    continue;
                }
                long t1 = System.nanoTime();
                if (window.counts(t0, t1)) {
                    recorder.recordValue(t1 - t0);
                    acquires.recordValue(granted - t0);
                    cycles.incrementAndGet();
                }
            }
        });
        return new Report("uncontended: " + clients + " clients, acquire+release on own slot", "cycles", cycles.get(),
                window.seconds(), recorder.getIntervalHistogram(), "cycle latency", errors.get(),
                errors.get() == 0 ? "ok: every acquire granted with a higher fence" : "FAILED: see errors",
                List.of(new Report.Latency("acquire latency", acquires.getIntervalHistogram())));
    }
}
