package io.mutexify.lockkeeper;

import io.mutexify.model.port.SlotStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The store's hourly housekeeping, the same on every host: replies older than the retention are
 * forgotten, and outbox events once every subscriber has delivered them.
 */
public final class Pruning {
    private final SlotStore store;
    private final Duration replyRetention;
    private final Supplier<List<String>> subscribers;

    /** @param subscribers the outbox subscribers whose cursors say what is delivered (asked on every run) */
    public Pruning(SlotStore store, Duration replyRetention, Supplier<List<String>> subscribers) {
        this.store = Objects.requireNonNull(store, "store");
        this.replyRetention = Objects.requireNonNull(replyRetention, "replyRetention");
        this.subscribers = Objects.requireNonNull(subscribers, "subscribers");
    }

    /** Prunes as of {@code now}; returns how many records went. */
    public int run(Instant now) {
        return store.prune(now.minus(replyRetention), subscribers.get());
    }
}
