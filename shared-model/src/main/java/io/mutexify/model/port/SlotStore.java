package io.mutexify.model.port;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The slot store: the reads, one conditional atomic write, and the event outbox. */
public interface SlotStore extends SlotReader, AutoCloseable {
    /** Commits {@code write} atomically; false means the version moved (a conflict) and nothing was written. */
    boolean commit(SlotWrite write);

    /**
     * As {@link #commit}, without waiting: the future completes with the same answer once the write is
     * durable, or fails as {@code commit} would throw. A store whose writes block anyway commits on
     * the caller's thread and returns a completed future; one that batches writes completes it from
     * its own thread, so the caller can go on meanwhile.
     */
    default CompletableFuture<Boolean> commitAsync(SlotWrite write) {
        try {
            return CompletableFuture.completedFuture(commit(write));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Whether {@link #commitAsync} returns before the commit, leaving it to the store's own thread. */
    default boolean commitsWithoutBlocking() {
        return false;
    }

    /** Outbox entries with {@code seq > afterSeq}, oldest first, at most {@code limit}. */
    List<OutboxEntry> outboxAfter(long afterSeq, int limit);

    /** How far the named subscriber has delivered the outbox (0 if never). */
    long cursor(String subscriber);

    /** Records that the named subscriber delivered everything up to {@code seq}. */
    void saveCursor(String subscriber, long seq);

    /** Forgets replies recorded before {@code before} and outbox entries every subscriber has delivered; returns how many rows went. */
    int prune(Instant before, List<String> subscribers);

    @Override
    void close();
}
