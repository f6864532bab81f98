package io.mutexify.embedded.campaign;

import java.time.Duration;
import java.time.Instant;

/**
 * Places the server's wall-clock instants (an {@code expireAt}) on the history's monotonic clock.
 * Server and test share one machine, so one anchor taken at the start is enough.
 */
public record Timeline(long anchorNanos, Instant anchorWall) {

    public static Timeline now() {
        return new Timeline(System.nanoTime(), Instant.now());
    }

    public long toNanos(Instant wall) {
        return anchorNanos + Duration.between(anchorWall, wall).toNanos();
    }
}
