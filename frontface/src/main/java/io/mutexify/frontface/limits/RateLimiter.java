package io.mutexify.frontface.limits;

import io.mutexify.frontface.http.ApiException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** Per-principal token buckets for mutating calls; a caller out of tokens gets 429 with {@code Retry-After}. */
public final class RateLimiter {
    /** Past this many principals, buckets that have refilled completely are forgotten. */
    private static final int SWEEP_ABOVE = 10_000;

    private final int perSecond;
    private final int burst;
    private final LongSupplier nanos;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    /** {@code perSecond} 0 turns limiting off. */
    public RateLimiter(int perSecond, int burst, LongSupplier nanos) {
        if (perSecond < 0 || (perSecond > 0 && burst < 1)) {
            throw new IllegalArgumentException("rate must be >= 0 and burst >= 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanos = nanos;
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
        if (buckets.size() > SWEEP_ABOVE) {
            buckets.entrySet().removeIf(e -> e.getValue().fullBy(now, perSecond, burst));
        }
        if (wait[0] > 0) {
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait[0] + 999_999_999L));
            throw new ApiException(429, "rate_limited", "too many changes; retry after " + seconds + " s",
                    Map.of("Retry-After", Long.toString(seconds)));
        }
    }
}
