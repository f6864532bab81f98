package io.mutexify.embedded.campaign;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs one operation the way a careful client does: the same {@code Idempotency-Key} on every
 * retry after an error, a timeout, a 5xx or a 429; a 202 followed to {@code /api/v1/requests/{id}};
 * a hedge's first send dropped soon after the second went out. Gives up after the operation's budget.
 */
final class KeyedCalls {
    /** Beyond an acquire's wait, how long an operation keeps trying. */
    private static final long BUDGET_MS = 8000;
    /** Beyond an acquire's wait, how long a patient client lets one call take (a paused server makes calls hang). */
    private static final long CALL_TIMEOUT_MS = 2500;

    private final CampaignHttp http;
    private final ScheduledExecutorService dropper;
    private final BooleanSupplier running;

    KeyedCalls(CampaignHttp http, ScheduledExecutorService dropper, BooleanSupplier running) {
        this.http = http;
        this.dropper = dropper;
        this.running = running;
    }

    /** How long a patient client lets one call take: the wait and then some. */
    static Duration patient(int waitSeconds) {
        return Duration.ofMillis(waitSeconds * 1000L + CALL_TIMEOUT_MS);
    }

    /**
     * Runs {@code op} until it has an answer or its budget is spent; each call may take {@code timeout}
     * (an impatient client's is shorter than its wait, so it sends again while it waits in line).
     */
    void run(Op op, String method, String path, String body, int waitSeconds, Duration timeout, Hedge hedge,
             Random random) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitSeconds * 1000L + BUDGET_MS);
        if (hedge != null) {
            dropper.schedule(hedge::drop, 50 + random.nextInt(250), TimeUnit.MILLISECONDS);
        }
        try {
            while (running.getAsBoolean()) {
                Attempt a = http.send(method, path, body, op.key, timeout, false);
                op.add(a);
                if (a.isFinal() || (a.status() == 202 && follow(op, deadline))) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    return;
                }
                Thread.sleep(a.status() == 503 && a.retryAfter() ? 500 : 50 + random.nextInt(250));
            }
        } finally {
            if (hedge != null) {
                op.add(hedge.asAttempt());
            }
        }
    }

    /** Polls the request until it has an answer (true) or the server no longer knows it (false: send again). */
    private boolean follow(Op op, long deadline) throws InterruptedException {
        while (running.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            Attempt a = http.send("GET", "/api/v1/requests/" + op.requestId, null, null, Duration.ofMillis(CALL_TIMEOUT_MS), true);
            op.add(a);
            if (a.isFinal()) {
                return true;
            }
            if (a.status() != 202) {
                return false;
            }
        }
        return false;
    }
}
