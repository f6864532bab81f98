package io.mutexify.model.port;

import io.mutexify.model.machine.Reply;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.SlotState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A store whose next {@link #failCommits} commits throw (a store outage), around a real one; for tests. */
public final class FlakyStore implements SlotStore {
    private final SlotStore store;
    public final AtomicInteger failCommits = new AtomicInteger();

    public FlakyStore(SlotStore store) {
        this.store = store;
    }

    @Override
    public boolean commit(SlotWrite write) {
        if (failCommits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("store unavailable (injected)");
        }
        return store.commit(write);
    }

    @Override
    public SlotState load(String slotId) {
        return store.load(slotId);
    }

    @Override
    public List<SlotState> loadAll() {
        return store.loadAll();
    }

    @Override
    public Optional<Reply> findReply(String requestId) {
        return store.findReply(requestId);
    }

    @Override
    public List<HistoryEntry> history(String slotId, int limit) {
        return store.history(slotId, limit);
    }

    @Override
    public boolean isReachable() {
        return store.isReachable();
    }

    @Override
    public List<OutboxEntry> outboxAfter(long afterSeq, int limit) {
        return store.outboxAfter(afterSeq, limit);
    }

    @Override
    public long cursor(String subscriber) {
        return store.cursor(subscriber);
    }

    @Override
    public void saveCursor(String subscriber, long seq) {
        store.saveCursor(subscriber, seq);
    }

    @Override
    public int prune(Instant before, List<String> subscribers) {
        return store.prune(before, subscribers);
    }

    @Override
    public void close() {
        store.close();
    }
}
