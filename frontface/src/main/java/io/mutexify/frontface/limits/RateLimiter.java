package io.mutexify.frontface.limits;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.mutexify.frontface.http.ApiException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** Per-principal token buckets for mutating calls; a caller out of tokens gets 429 with {@code Retry-After}. */
public final class RateLimiter {
    private final int perSecond;
    private final int burst;
    private final LongSupplier nanos;
    private final Map<String, TokenBucket> buckets;

    /** {@code perSecond} 0 turns limiting off. */
    public RateLimiter(int perSecond, int burst, LongSupplier nanos) {
        if (perSecond < 0 || (perSecond > 0 && burst < 1)) {
            throw new IllegalArgumentException("rate must be >= 0 and burst >= 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanos = nanos;
        // A bucket untouched for burst / perSecond seconds has refilled completely: forgetting it is the same as
        // keeping it, so the map holds only callers active lately.
        long refill = perSecond == 0 ? 1 : Math.max(1, (long) Math.ceil(burst * 1e9 / perSecond));
        this.buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofNanos(refill))
                .ticker(nanos::getAsLong).executor(Runnable::run).<String, TokenBucket>build().asMap();
    }

    public static RateLimiter off() {
        return new RateLimiter(0, 0, System::nanoTime);
    }

    /** Takes a token for {@code principal}, or throws the 429. */
    public void check(String principal) {
        if (perSecond == 0) {
            return;
        }
        long now = nanos.getAsLong();
        long[] wait = new long[1];
        buckets.compute(principal, (p, b) -> {
            TokenBucket.Take t = (b == null ? TokenBucket.full(burst, now) : b).take(now, perSecond, burst);
            wait[0] = t.waitNanos();
            return t.bucket();
        });
        if (wait[0] > 0) {
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait[0] + 999_999_999L));
            throw new ApiException(429, "rate_limited", "too many changes; retry after " + seconds + " s",
                    Map.of("Retry-After", Long.toString(seconds)));
        }
    }
}
