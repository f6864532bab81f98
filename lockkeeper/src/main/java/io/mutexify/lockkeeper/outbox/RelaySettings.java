package io.mutexify.lockkeeper.outbox;

import io.mutexify.model.settings.Backoff;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of an {@link OutboxRelay}.
 *
 * @param batchSize      most outbox entries read and published at once
 * @param pollInterval   how often the relay looks for entries when nobody woke it
 * @param initialBackoff pause after the first failed delivery; doubles per failure in a row
 * @param maxBackoff     longest pause between retries
 * @param closeTimeout   how long {@code close} lets a delivery in progress finish
 */
public record RelaySettings(int batchSize, Duration pollInterval, Duration initialBackoff, Duration maxBackoff,
                            Duration closeTimeout) {

    public RelaySettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1");
        }
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initialBackoff <= maxBackoff");
        }
    }

    /** 100 events a batch, a poll every second, retries from 100 ms doubling up to 30 s. */
    public static RelaySettings defaults() {
        return new RelaySettings(100, Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(30),
                Duration.ofSeconds(5));
    }

    /** The pause after {@code failures} failed deliveries in a row: doubling, capped. */
    Duration backoff(int failures) {
        return Backoff.doubling(initialBackoff, maxBackoff, failures);
    }
}
