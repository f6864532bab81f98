package io.mutexify.model.settings;

import java.time.Duration;

/** Exponential backoff: the pause before retry {@code n} doubles from an initial pause up to a cap. */
public final class Backoff {
    private Backoff() {
    }

    /** {@code initial} for n = 1 (or less), doubled for every further retry, never above {@code max}. */
    public static Duration doubling(Duration initial, Duration max, int n) {
        // Shift at most 20 places: beyond that the cap applies anyway, and the long cannot overflow.
        long nanos = initial.toNanos() << Math.min(20, Math.max(0, n - 1));
        return Duration.ofNanos(Math.min(nanos, max.toNanos()));
    }
}
