package io.mutexify.embedded.http;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads a request body without holding a thread while the bytes trickle in (Servlet non-blocking
 * I/O), and gives up on a body that arrives too slowly: after a grace period it must keep up an
 * average of {@code minBytesPerSecond}. Jetty's own minimum data rate counts from the first byte to
 * the moment the application reads, so it would also refuse a small, quickly sent body that a busy
 * server got round to late; here only the client's pace counts.
 */
final class AsyncBodyReader implements AutoCloseable {
    /** The body took too long: answered 408. */
    static final class TooSlow extends IOException {
        TooSlow(String message) {
            super(message);
        }
    }

    /** The body is bigger than allowed: answered 413. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    private final long minBytesPerSecond;
    private final Duration grace;
    /** Bodies being read, checked for their pace once a second by one task (no timer per request). */
    private final Set<Reading> reading = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mutexify-body-deadline");
        t.setDaemon(true);
        return t;
    });

    /** One body on its way in: what has arrived, since when, and its caller's future. */
    private record Reading(ByteArrayOutputStream buf, long startNanos, CompletableFuture<byte[]> body) {
    }

    AsyncBodyReader(long minBytesPerSecond, Duration grace) {
        this.minBytesPerSecond = minBytesPerSecond;
        this.grace = grace;
        timer.scheduleAtFixedRate(this::checkPace, 1, 1, TimeUnit.SECONDS);
    }

    private void checkPace() {
        long now = System.nanoTime();
        for (Reading r : reading) {
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(now - r.startNanos());
            long required = minBytesPerSecond * Math.max(0, elapsedMs - grace.toMillis()) / 1000;
            int received;
            synchronized (r.buf()) {
                received = r.buf().size();
            }
            if (received < required) {
                r.body().completeExceptionally(new TooSlow("request body arrived at under " + minBytesPerSecond + " bytes/s"));
            }
        }
    }

    /** The whole body of {@code req} (already in async mode), at most {@code maxBytes}. */
    CompletableFuture<byte[]> read(HttpServletRequest req, int maxBytes) {
        CompletableFuture<byte[]> body = new CompletableFuture<>();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Reading r = new Reading(buf, System.nanoTime(), body);
        reading.add(r);
        body.whenComplete((b, e) -> reading.remove(r));
        try {
            ServletInputStream in = req.getInputStream();
            in.setReadListener(new ReadListener() {
                private final byte[] chunk = new byte[8192];

                @Override
                public void onDataAvailable() throws IOException {
                    while (!body.isDone() && in.isReady()) {
                        int n = in.read(chunk);
                        if (n < 0) {
                            return;
                        }
                        synchronized (buf) {
                            buf.write(chunk, 0, n);
                            if (buf.size() > maxBytes) {
                                body.completeExceptionally(new TooLarge("request body over " + maxBytes + " bytes"));
                            }
                        }
                    }
                }

                @Override
                public void onAllDataRead() {
                    byte[] all;
                    synchronized (buf) {
                        all = buf.toByteArray();
                    }
                    body.complete(all);
                }

                @Override
                public void onError(Throwable t) {
                    body.completeExceptionally(t);
                }
            });
        } catch (IOException | RuntimeException e) {
            body.completeExceptionally(e);
        }
        return body;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
