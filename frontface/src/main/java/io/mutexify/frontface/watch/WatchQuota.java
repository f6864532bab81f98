package io.mutexify.frontface.watch;

import io.mutexify.frontface.http.ApiException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** How many long-polls one principal may hold open at once; each costs a connection and wake-up work. */
public final class WatchQuota {
    public static final int DEFAULT_MAX = 32;

    private final int max;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    public WatchQuota(int max) {
        this.max = max;
    }

    /** Runs the watch {@code start} counts against {@code principal}; 429 when they already hold the most. */
    public <T> CompletableFuture<T> watch(String principal, Supplier<CompletableFuture<T>> start) {
        boolean[] admitted = {false};
        open.compute(principal, (p, n) -> {
            int now = n == null ? 0 : n;
            admitted[0] = now < max;
            return admitted[0] ? now + 1 : n;
        });
        if (!admitted[0]) {
            throw new ApiException(429, "too_many_watches", "at most " + max + " open watches per caller;"
                    + " close one, or watch the whole list instead of each slot", Map.of("Retry-After", "5"));
        }
        CompletableFuture<T> f;
        try {
            f = start.get();
        } catch (RuntimeException e) {
            release(principal);
            throw e;
        }
        return f.whenComplete((v, e) -> release(principal));
    }

    private void release(String principal) {
        open.computeIfPresent(principal, (p, n) -> n <= 1 ? null : n - 1);
    }
}
