package io.mutexify.bench;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Recorder;

/**
 * Scenario (c): every client alternates a lock status read of a random registered slot and a
 * full 10-slot page of the slot list starting at a random one, the reads whose cost must not grow
 * with the number of slots. Pages are as long with ten slots as with a million, so the two
 * compare like for like. Always over the bench's own lean connections.
 */
final class Reads {
    private static final int PAGE = 10;

    private final URI url;
    private final String token;
    private final int clients;
    private final int slots;
    private final IntFunction<String> slotId;

    /** Reads among {@code slots} slots named by {@code slotId}. */
    Reads(URI url, String token, int clients, int slots, IntFunction<String> slotId) {
        this.url = url;
        this.token = token;
        this.clients = clients;
        this.slots = slots;
        this.slotId = slotId;
    }

    /** A cursor with a full page after it: a random slot far enough from the end, or the start. */
    private String pageStart() {
        return slots > PAGE ? slotId.apply(ThreadLocalRandom.current().nextInt(slots - PAGE)) : "";
    }

    Report run(Duration warmup, Duration measured) throws Exception {
        Recorder status = new Recorder(3);
        Recorder list = new Recorder(3);
        AtomicLong reads = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Window window = new Window(warmup, measured);
        Clients.run(clients, () -> new BenchHttp(url, token), (client, driver) -> {
            BenchHttp http = (BenchHttp) driver;
            boolean listNext = false;
            while (window.open()) {
                String path = listNext ? "/api/v1/slots?limit=" + PAGE + "&after=" + pageStart()
                        : "/api/v1/locks/" + slotId.apply(ThreadLocalRandom.current().nextInt(slots));
                long t0 = System.nanoTime();
                int answered;
                try {
                    answered = http.get(path);
                } catch (Exception e) {
                    errors.incrementAndGet();
                    continue;
                }
                long t1 = System.nanoTime();
                // A free slot's status is a 404 "not_held": a full read of the slot all the same.
                if (answered != 200 && (listNext || answered != 404)) {
                    errors.incrementAndGet();
                } else if (window.counts(t0, t1)) {
                    (listNext ? list : status).recordValue(t1 - t0);
                    reads.incrementAndGet();
                }
                listNext = !listNext;
            }
        });
        return new Report("reads: " + clients + " clients, lock status and " + PAGE + "-slot list pages among " + slots
                + " slots", "reads", reads.get(), window.seconds(), status.getIntervalHistogram(),
                "status latency", errors.get(), errors.get() == 0 ? "ok: every read answered" : "FAILED: see errors",
                List.of(new Report.Latency("list page latency", list.getIntervalHistogram())));
    }
}
