package io.mutexify.model.port;

import io.mutexify.model.machine.Reply;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.SlotState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A {@link SlotStore} in front of a real one whose commits fail while {@link #failing} is set, or for
 * the next {@link #failNext} commits, as with a full disk, a failed fsync or a store outage: the write
 * is refused (by default with a {@link StoreUnavailableException}) and nothing of it reaches the real
 * store. Everything else passes through.
 */
public final class FaultySlotStore implements SlotStore {
    private final SlotStore real;
    /** While true, every commit fails without writing. */
    public final AtomicBoolean failing = new AtomicBoolean();
    /** While above zero, the next commit fails without writing and counts it down. */
    public final AtomicInteger failNext = new AtomicInteger();
    /** How many commits were refused. */
    public final AtomicInteger refused = new AtomicInteger();

    private final Function<SlotWrite, RuntimeException> failure;

    public FaultySlotStore(SlotStore real) {
        this(real, w -> new StoreUnavailableException("disk full (injected): slot " + w.slotId() + " not written"));
    }

    /** Failing commits throw what {@code failure} makes of the refused write. */
    public FaultySlotStore(SlotStore real, Function<SlotWrite, RuntimeException> failure) {
        this.real = real;
        this.failure = failure;
    }

    @Override
    public boolean commit(SlotWrite write) {
        if (failing.get() || failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            refused.incrementAndGet();
            throw failure.apply(write);
        }
        return real.commit(write);
    }

    @Override
    public SlotState load(String slotId) {
        return real.load(slotId);
    }

    @Override
    public List<SlotState> loadAll() {
        return real.loadAll();
    }

    @Override
    public Optional<Reply> findReply(String requestId) {
        return real.findReply(requestId);
    }

    @Override
    public List<HistoryEntry> history(String slotId, int limit) {
        return real.history(slotId, limit);
    }

    @Override
    public boolean isReachable() {
        return real.isReachable();
    }

    @Override
    public List<OutboxEntry> outboxAfter(long afterSeq, int limit) {
        return real.outboxAfter(afterSeq, limit);
    }

    @Override
    public long cursor(String subscriber) {
        return real.cursor(subscriber);
    }

    @Override
    public void saveCursor(String subscriber, long seq) {
        real.saveCursor(subscriber, seq);
    }

    @Override
    public int prune(Instant before, List<String> subscribers) {
        return real.prune(before, subscribers);
    }

    @Override
    public void close() {
        real.close();
    }
}
