package io.mutexify.model.port;

import io.mutexify.model.event.LockEvent;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.SlotState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link SlotStore} in memory that keeps the store contract (it runs {@link SlotStoreContract}),
 * for tests of the code above the store. Test hooks inject conflicts and failures.
 */
public final class InMemorySlotStore implements SlotStore {
    private record Stamped<T>(T value, Instant at) {
    }

    private final Map<String, SlotState> slots = new TreeMap<>();
    private final Map<String, Stamped<Reply>> replies = new HashMap<>();
    private final List<Stamped<OutboxEntry>> outbox = new ArrayList<>();
    private final List<HistoryEntry> history = new ArrayList<>();
    private final Map<String, Long> cursors = new HashMap<>();
    private final List<Long> savedCursors = new ArrayList<>();
    private long lastSeq;
    private int commits;
    private final List<SlotWrite> committed = new ArrayList<>();
    private boolean conflictNext;
    /** While positive, each outbox read fails (and counts it down), as if the store were down. */
    public final AtomicInteger failingOutboxReads = new AtomicInteger();
    /** How many times a stored reply was looked up. */
    public final AtomicInteger replyLookups = new AtomicInteger();

    @Override
    public synchronized SlotState load(String slotId) {
        return slots.getOrDefault(slotId, SlotState.empty(slotId));
    }

    @Override
    public synchronized List<SlotState> loadAll() {
        return List.copyOf(slots.values());
    }

    @Override
    public synchronized Optional<Reply> findReply(String requestId) {
        replyLookups.incrementAndGet();
        return Optional.ofNullable(replies.get(requestId)).map(Stamped::value);
    }

    @Override
    public synchronized List<HistoryEntry> history(String slotId, int limit) {
        List<HistoryEntry> newestFirst = new ArrayList<>();
        for (int i = history.size() - 1; i >= 0 && newestFirst.size() < limit; i--) {
            if (history.get(i).slotId().equals(slotId)) {
                newestFirst.add(history.get(i));
            }
        }
        return newestFirst;
    }

    @Override
    public boolean isReachable() {
        return true;
    }

    @Override
    public synchronized boolean commit(SlotWrite write) {
        if (conflictNext) {
            // Another writer got there first: its version bump is what makes ours stale.
            conflictNext = false;
            SlotState cur = load(write.slotId());
            slots.put(write.slotId(), cur.withVersion(cur.version() + 1));
            return false;
        }
        if (load(write.slotId()).version() != write.expectedVersion()) {
            return false;
        }
        commits++;
        committed.add(write);
        if (write.newState() != null) {
            slots.put(write.slotId(), write.newState().withVersion(write.expectedVersion() + 1));
        }
        write.replies().forEach(r -> replies.put(r.requestId(), new Stamped<>(r, write.at())));
        write.events().forEach(e -> outbox.add(new Stamped<>(new OutboxEntry(++lastSeq, e), write.at())));
        history.addAll(write.history());
        return true;
    }

    @Override
    public synchronized List<OutboxEntry> outboxAfter(long afterSeq, int limit) {
        if (failingOutboxReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("store unavailable");
        }
        return outbox.stream().map(Stamped::value).filter(e -> e.seq() > afterSeq).limit(limit).toList();
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
    public synchronized int prune(Instant before, List<String> subscribers) {
        int gone = replies.size();
        replies.values().removeIf(r -> r.at().isBefore(before));
        gone -= replies.size();
        int events = outbox.size();
        if (subscribers.isEmpty()) {
            outbox.removeIf(e -> e.at().isBefore(before));
        } else {
            long delivered = subscribers.stream().mapToLong(this::cursor).min().orElse(0);
            outbox.removeIf(e -> e.value().seq() <= delivered);
        }
        return gone + events - outbox.size();
    }

    @Override
    public void close() {
    }

    // ---- test hooks ----

    /** Puts an event straight into the outbox, as a commit would; returns its seq. */
    public synchronized long appendEvent(LockEvent event) {
        outbox.add(new Stamped<>(new OutboxEntry(++lastSeq, event), Instant.EPOCH));
        return lastSeq;
    }

    /** Every cursor value saved so far, in order. */
    public synchronized List<Long> savedCursors() {
        return List.copyOf(savedCursors);
    }

    /** The writes committed, oldest first. */
    public synchronized List<SlotWrite> committedWrites() {
        return List.copyOf(committed);
    }

    /** How many commits succeeded. */
    public synchronized int commits() {
        return commits;
    }

    /** Makes the next commit fail as a conflict, as if another writer had bumped the version. */
    public synchronized void conflictOnNextCommit() {
        conflictNext = true;
    }
}
