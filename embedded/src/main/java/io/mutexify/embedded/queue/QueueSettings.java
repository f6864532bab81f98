package io.mutexify.embedded.queue;

import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.settings.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Tuning of the {@link InProcessSessionQueue}.
 *
 * @param workers        threads that run session handlers (a handler that hands off without blocking is also run
 *                       by the thread that sent to an idle session, or that completed the session's last batch)
 * @param maxBatch       most commands handed to one {@code SessionHandler.handle} call
 * @param capacity       most client commands queued and not yet handled before {@code send} refuses more
 * @param maxDeliveries  failed attempts after which a batch is dead-lettered
 * @param initialBackoff pause before the first redelivery of a failed batch; doubles per attempt
 * @param maxBackoff     longest pause between redeliveries
 * @param closeTimeout   how long {@code close} waits for queued and in-flight batches
 * @param clock          the clock scheduled commands are due by (the Lockkeeper's clock)
 * @param deadLetter     told about every batch given up on, after it is logged
 */
public record QueueSettings(
        int workers,
        int maxBatch,
        int capacity,
        int maxDeliveries,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration closeTimeout,
        Clock clock,
        Consumer<List<SlotCommand>> deadLetter) {

    public QueueSettings {
        require(workers >= 1, "workers must be at least 1");
        require(maxBatch >= 1, "maxBatch must be at least 1");
        require(capacity >= 1, "capacity must be at least 1");
        require(maxDeliveries >= 1, "maxDeliveries must be at least 1");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(deadLetter, "deadLetter");
        require(!initialBackoff.isNegative() && maxBackoff.compareTo(initialBackoff) >= 0,
                "backoff must satisfy 0 <= initialBackoff <= maxBackoff");
        require(!closeTimeout.isNegative(), "closeTimeout must not be negative");
    }

    /** Sensible defaults for one JVM: a worker per core, batches of 64, 10,000 queued client commands. */
    public static QueueSettings defaults() {
        return new QueueSettings(Math.max(2, Runtime.getRuntime().availableProcessors()), 64, 10_000, 10,
                Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofSeconds(5), Clock.systemUTC(), batch -> { });
    }

    public QueueSettings withWorkers(int value) {
        return new QueueSettings(value, maxBatch, capacity, maxDeliveries, initialBackoff, maxBackoff, closeTimeout, clock, deadLetter);
    }

    public QueueSettings withMaxBatch(int value) {
        return new QueueSettings(workers, value, capacity, maxDeliveries, initialBackoff, maxBackoff, closeTimeout, clock, deadLetter);
    }

    public QueueSettings withCapacity(int value) {
        return new QueueSettings(workers, maxBatch, value, maxDeliveries, initialBackoff, maxBackoff, closeTimeout, clock, deadLetter);
    }

    public QueueSettings withMaxDeliveries(int value) {
        return new QueueSettings(workers, maxBatch, capacity, value, initialBackoff, maxBackoff, closeTimeout, clock, deadLetter);
    }

    public QueueSettings withBackoff(Duration initial, Duration max) {
        return new QueueSettings(workers, maxBatch, capacity, maxDeliveries, initial, max, closeTimeout, clock, deadLetter);
    }

    public QueueSettings withCloseTimeout(Duration value) {
        return new QueueSettings(workers, maxBatch, capacity, maxDeliveries, initialBackoff, maxBackoff, value, clock, deadLetter);
    }

    public QueueSettings withClock(Clock value) {
        return new QueueSettings(workers, maxBatch, capacity, maxDeliveries, initialBackoff, maxBackoff, closeTimeout, value, deadLetter);
    }

    public QueueSettings withDeadLetter(Consumer<List<SlotCommand>> value) {
        return new QueueSettings(workers, maxBatch, capacity, maxDeliveries, initialBackoff, maxBackoff, closeTimeout, clock, value);
    }

    /** The pause before redelivery number {@code attempt} (1 = first redelivery): doubling, capped. */
    Duration backoff(int attempt) {
        return Backoff.doubling(initialBackoff, maxBackoff, attempt);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
