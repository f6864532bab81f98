package io.mutexify.embedded.events;

import io.mutexify.model.event.LockEvent;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.OutboxEntry;
import io.mutexify.model.port.SlotStore;
import io.mutexify.model.port.SlotWrite;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.SlotState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A store fake with only the outbox and cursors, enough to drive a relay; the real stores live elsewhere. */
final class InMemoryOutboxStore implements SlotStore {
    private final List<OutboxEntry> outbox = new ArrayList<>();
    private final Map<String, Long> cursors = new HashMap<>();
    private final List<Long> savedCursors = new ArrayList<>();
    final AtomicInteger failingReads = new AtomicInteger();

    synchronized long append(LockEvent event) {
        long seq = outbox.size() + 1;
        outbox.add(new OutboxEntry(seq, event));
        return seq;
    }

    synchronized List<Long> savedCursors() {
        return List.copyOf(savedCursors);
    }

    @Override
    public synchronized List<OutboxEntry> outboxAfter(long afterSeq, int limit) {
        if (failingReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("store unavailable");
        }
        return outbox.stream().filter(e -> e.seq() > afterSeq).limit(limit).toList();
    }

    @Override
    public synchronized long cursor(String subscriber) {
        return cursors.getOrDefault(subscriber, 0L);
    }

    @Override
    public synchronized void saveCursor(String subscriber, long seq) {
        cursors.put(subscriber, seq);
        savedCursors.add(seq);
    }

    @Override
    public boolean commit(SlotWrite write) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int prune(Instant before, List<String> subscribers) {
        throw new UnsupportedOperationException();
    }

    @Override
    public SlotState load(String slotId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<SlotState> loadAll() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Reply> findReply(String requestId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<HistoryEntry> history(String slotId, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isReachable() {
        return true;
    }

    @Override
    public void close() {
    }
}
