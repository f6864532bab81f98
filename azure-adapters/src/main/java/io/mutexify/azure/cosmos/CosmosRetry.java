package io.mutexify.azure.cosmos;

import com.azure.cosmos.CosmosException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The store's own bounded retry of transient failures, around every request: 429 (throttled, once
 * the SDK's own throttling retries gave up), 449 (retry with), 503 (unavailable) and 408 (timeout).
 * It waits what the server asked for ({@code x-ms-retry-after-ms}) when it said so, otherwise an
 * exponential backoff with jitter. Writes stay safe to retry: conditional writes carry a write id
 * the store checks after a 409/412, and the others are idempotent upserts and deletes.
 */
final class CosmosRetry {
    private static final Logger LOG = LoggerFactory.getLogger(CosmosRetry.class);
    static final Set<Integer> TRANSIENT = Set.of(408, 429, 449, 503);

    /** What a failure says about retrying: its status and the server's retry-after (zero when none). */
    record Transient(int status, int subStatus, Duration retryAfter, String activityId) {
    }

    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Function<Throwable, Optional<Transient>> classifier;

    CosmosRetry(int maxAttempts, Duration baseDelay, Duration maxDelay) {
        this(maxAttempts, baseDelay, maxDelay, CosmosRetry::classifyCosmos);
    }

    CosmosRetry(int maxAttempts, Duration baseDelay, Duration maxDelay,
                Function<Throwable, Optional<Transient>> classifier) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.classifier = classifier;
    }

    static CosmosRetry defaults() {
        return new CosmosRetry(6, Duration.ofMillis(50), Duration.ofSeconds(5));
    }

    /** A transient Cosmos DB failure, or empty for anything a retry would not cure. */
    static Optional<Transient> classifyCosmos(Throwable failure) {
        if (failure instanceof CosmosException e && TRANSIENT.contains(e.getStatusCode())) {
            Duration after = e.getRetryAfterDuration();
            return Optional.of(new Transient(e.getStatusCode(), e.getSubStatusCode(),
                    after == null ? Duration.ZERO : after, e.getActivityId()));
        }
        return Optional.empty();
    }

    /**
     * The pause before attempt {@code failures + 1}, or empty once {@code failures} attempts failed
     * and no more are allowed. The server's retry-after wins when it gave one (capped at maxDelay).
     */
    Optional<Duration> delayAfter(int failures, Duration retryAfter) {
        if (failures >= maxAttempts) {
            return Optional.empty();
        }
        if (retryAfter != null && !retryAfter.isZero() && !retryAfter.isNegative()) {
            return Optional.of(retryAfter.compareTo(maxDelay) > 0 ? maxDelay : retryAfter);
        }
        long exp = baseDelay.toMillis() << Math.min(failures - 1, 20);
        long capped = Math.min(exp, maxDelay.toMillis());
        // Full jitter in the upper half: writers that collided do not come back in step.
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        return Optional.of(Duration.ofMillis(Math.max(1, jittered)));
    }

    /** The retry spec for one kind of request; {@code what} names it in logs (no keys, no bodies). */
    Retry spec(String what) {
        return Retry.from(signals -> signals.concatMap(signal -> {
            Throwable failure = signal.failure();
            Optional<Transient> t = classifier.apply(failure);
            int failures = (int) signal.totalRetries() + 1;
            if (t.isEmpty()) {
                return Mono.error(failure);
            }
            Optional<Duration> pause = delayAfter(failures, t.get().retryAfter());
            if (pause.isEmpty()) {
                LOG.warn("cosmos {}: status {}/{} after {} attempts, giving up (activity {})", what,
                        t.get().status(), t.get().subStatus(), failures, t.get().activityId());
                return Mono.error(failure);
            }
            LOG.warn("cosmos {}: status {}/{} (attempt {} of {}), retrying in {} ms (activity {})", what,
                    t.get().status(), t.get().subStatus(), failures, maxAttempts, pause.get().toMillis(),
                    t.get().activityId());
            return Mono.delay(pause.get()).thenReturn(failures);
        }));
    }
}
