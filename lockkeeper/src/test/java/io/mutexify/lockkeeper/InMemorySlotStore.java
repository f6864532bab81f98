package io.mutexify.lockkeeper;

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
import java.util.TreeMap;

/** A SlotStore in memory with the same conditional-write rule, for Lockkeeper tests; counts commits. */
final class InMemorySlotStore implements SlotStore {
    private final Map<String, SlotState> slots = new TreeMap<>();
    private final Map<String, Reply> replies = new HashMap<>();
    private final List<OutboxEntry> outbox = new ArrayList<>();
    private final List<HistoryEntry> history = new ArrayList<>();
    private final Map<String, Long> cursors = new HashMap<>();
    int commits;
    /** When set, the next commit fails as if another writer had moved the version. */
    boolean failNextCommitAsConflict;

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
        return Optional.ofNullable(replies.get(requestId));
    }

    @Override
    public synchronized List<HistoryEntry> history(String slotId, int limit) {
        List<HistoryEntry> mine = new ArrayList<>(history.stream().filter(h -> h.slotId().equals(slotId)).toList());
        java.util.Collections.reverse(mine);
        return mine.stream().limit(limit).toList();
    }

    @Override
    public boolean isReachable() {
        return true;
    }

    @Override
    public synchronized boolean commit(SlotWrite write) {
        if (failNextCommitAsConflict) {
            failNextCommitAsConflict = false;
            SlotState cur = load(write.slotId());
            slots.put(write.slotId(), cur.withVersion(cur.version() + 1));
            return false;
        }
        if (load(write.slotId()).version() != write.expectedVersion()) {
            return false;
        }
        commits++;
        if (write.newState() != null) {
            slots.put(write.slotId(), write.newState().withVersion(write.expectedVersion() + 1));
        }
        write.replies().forEach(r -> replies.put(r.requestId(), r));
        write.events().forEach(e -> outbox.add(new OutboxEntry(outbox.size() + 1, e)));
        history.addAll(write.history());
        return true;
    }

    @Override
    public synchronized List<OutboxEntry> outboxAfter(long afterSeq, int limit) {
        return outbox.stream().filter(e -> e.seq() > afterSeq).limit(limit).toList();
    }

    @Override
    public synchronized long cursor(String subscriber) {
        return cursors.getOrDefault(subscriber, 0L);
    }

    @Override
    public synchronized void saveCursor(String subscriber, long seq) {
        cursors.put(subscriber, seq);
    }

    @Override
    public int prune(Instant before, List<String> subscribers) {
        return 0;
    }

    @Override
    public void close() {
    }
}
