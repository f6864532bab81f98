package io.mutexify.azure.cosmos;

import io.mutexify.azure.cosmos.Docs.FloorDoc;
import io.mutexify.azure.cosmos.Docs.LogDoc;
import io.mutexify.azure.cosmos.Documents.Read;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.port.OutboxEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import reactor.core.publisher.Mono;

/**
 * The global outbox log: one document per commit's events, {@code log:<n>} in partition
 * {@code $outbox}, numbered 1, 2, 3... without gaps. Creating document {@code n} is how a publisher
 * takes number {@code n}: a create fails with 409 if someone else took it, so numbers are handed
 * out in the order the documents appear, and a reader that saw {@code n} has seen everything
 * before it. The event at index i of document n has outbox seq {@code n * STRIDE + offset + i}.
 *
 * <p>Pruning deletes delivered documents, which frees their ids. So that a publisher with a stale
 * idea of the last number cannot reuse a pruned one (a relay whose cursor is past it would never
 * see it), prune first raises the {@code floor} document, and a publisher that finds its new
 * document at or below the floor deletes it and takes a number above.
 */
final class OutboxLog {
    /** Outbox seqs per log document: a commit with more events than this spans several documents. */
    static final long STRIDE = 1024;
    static final String FLOOR_DOC = "floor";
    private static final int MAX_TRIES = 64;

    private final Documents docs;
    private final ReentrantLock lock = new ReentrantLock();
    /** The highest log number this process knows is taken; -1 until first needed. Guarded by lock. */
    private long lastN = -1;

    OutboxLog(Documents docs) {
        this.docs = docs;
    }

    private static <T> T await(Mono<T> mono) {
        return Documents.await("outbox log", mono);
    }

    /** Appends one commit's events, in order, as one or more log documents. */
    void append(String slotId, long write, List<LockEvent> events, Instant at) {
        lock.lock();
        try {
            for (int from = 0; from < events.size(); from += (int) STRIDE) {
                appendChunk(slotId, write, events.subList(from, (int) Math.min(events.size(), from + STRIDE)), at);
            }
        } finally {
            lock.unlock();
        }
    }

    private void appendChunk(String slotId, long write, List<LockEvent> events, Instant at) {
        if (lastN < 0) {
            lastN = discoverLast();
        }
        for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
            long n = lastN + 1;
            String publishId = UUID.randomUUID().toString();
            LogDoc doc = new LogDoc(Keys.logDoc(n), Keys.OUTBOX, "log", n, slotId, write, 0, events, at, publishId);
            boolean ours = await(docs.create(Keys.OUTBOX, doc)).isPresent();
            if (!ours) {
                // 409: taken. By us, if an earlier try of this create timed out but landed.
                Optional<Read<LogDoc>> there = await(docs.read(Keys.OUTBOX, doc.id(), LogDoc.class));
                ours = there.isPresent() && publishId.equals(there.get().value().publishId());
            }
            if (!ours) {
                lastN = Math.max(lastTakenFrom(n), floor());
                continue;
            }
            long floor = floor();
            if (floor < n) {
                lastN = n;
                return;
            }
            // A prune freed number n after we last looked: a relay may already be past it.
            await(docs.delete(Keys.OUTBOX, doc.id(), null));
            lastN = floor;
        }
        throw new CosmosStoreException("could not append to the outbox log after " + MAX_TRIES
                + " tries: too many concurrent publishers");
    }

    /** The highest number taken, found by listing the log (once per process). */
    private long discoverLast() {
        long max = floor();
        for (Read<LogDoc> r : await(docs.readAll(Keys.OUTBOX, "log", LogDoc.class))) {
            max = Math.max(max, r.value().n());
        }
        return max;
    }

    /** Given that number {@code taken} exists, the highest taken one: galloping, then bisecting, by point reads. */
    private long lastTakenFrom(long taken) {
        long known = taken;
        long step = 1;
        long missing;
        while (true) {
            long probe = known + step;
            if (exists(probe)) {
                known = probe;
                step *= 2;
            } else {
                missing = probe;
                break;
            }
        }
        while (missing - known > 1) {
            long mid = known + (missing - known) / 2;
            if (exists(mid)) {
                known = mid;
            } else {
                missing = mid;
            }
        }
        return known;
    }

    private boolean exists(long n) {
        return await(docs.read(Keys.OUTBOX, Keys.logDoc(n), LogDoc.class)).isPresent();
    }

    private long floor() {
        return await(docs.read(Keys.OUTBOX, FLOOR_DOC, FloorDoc.class)).map(r -> r.value().n()).orElse(0L);
    }

    /** Entries with seq above {@code afterSeq}, in seq order, at most {@code limit}. */
    List<OutboxEntry> after(long afterSeq, int limit) {
        List<OutboxEntry> entries = new ArrayList<>();
        for (Read<LogDoc> r : await(docs.readAll(Keys.OUTBOX, "log", LogDoc.class))) {
            LogDoc d = r.value();
            for (int i = 0; i < d.events().size(); i++) {
                long seq = seq(d, i);
                if (seq > afterSeq) {
                    entries.add(new OutboxEntry(seq, d.events().get(i)));
                }
            }
        }
        entries.sort(Comparator.comparingLong(OutboxEntry::seq));
        return entries.size() > limit ? List.copyOf(entries.subList(0, limit)) : entries;
    }

    private static long seq(LogDoc d, int index) {
        return d.n() * STRIDE + d.offset() + index;
    }

    /**
     * Removes delivered events: with {@code delivered} null, those recorded before {@code before};
     * otherwise those with seq up to {@code delivered}. Returns how many events went.
     */
    int prune(Instant before, Long delivered) {
        List<Read<LogDoc>> all = await(docs.readAll(Keys.OUTBOX, "log", LogDoc.class));
        List<Read<LogDoc>> drop = new ArrayList<>();
        List<Read<LogDoc>> trim = new ArrayList<>();
        List<Integer> keepFrom = new ArrayList<>();
        for (Read<LogDoc> r : all) {
            LogDoc d = r.value();
            int gone;
            if (delivered == null) {
                gone = d.at() != null && d.at().isBefore(before) ? d.events().size() : 0;
            } else {
                gone = 0;
                while (gone < d.events().size() && seq(d, gone) <= delivered) {
                    gone++;
                }
            }
            if (gone == d.events().size()) {
                drop.add(r);
            } else if (gone > 0) {
                trim.add(r);
                keepFrom.add(gone);
            }
        }
        int removed = 0;
        if (!drop.isEmpty()) {
            raiseFloor(drop.stream().mapToLong(r -> r.value().n()).max().orElseThrow());
            for (Read<LogDoc> r : drop) {
                if (await(docs.delete(Keys.OUTBOX, r.value().id(), r.etag()))) {
                    removed += r.value().events().size();
                }
            }
        }
        for (int i = 0; i < trim.size(); i++) {
            LogDoc d = trim.get(i).value();
            int from = keepFrom.get(i);
            LogDoc rest = new LogDoc(d.id(), d.pk(), d.type(), d.n(), d.slotId(), d.write(), d.offset() + from,
                    d.events().subList(from, d.events().size()), d.at(), d.publishId());
            if (await(docs.replace(Keys.OUTBOX, d.id(), rest, trim.get(i).etag())).isPresent()) {
                removed += from;
            }
        }
        return removed;
    }

    /** Makes the floor at least {@code n}, before any document up to n is deleted. */
    private void raiseFloor(long n) {
        for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
            Optional<Read<FloorDoc>> current = await(docs.read(Keys.OUTBOX, FLOOR_DOC, FloorDoc.class));
            if (current.isPresent() && current.get().value().n() >= n) {
                return;
            }
            FloorDoc next = new FloorDoc(FLOOR_DOC, Keys.OUTBOX, "floor", n);
            boolean done = current.isPresent()
                    ? await(docs.replace(Keys.OUTBOX, FLOOR_DOC, next, current.get().etag())).isPresent()
                    : await(docs.create(Keys.OUTBOX, next)).isPresent();
            if (done) {
                return;
            }
        }
        throw new CosmosStoreException("could not raise the outbox floor: too many concurrent prunes");
    }
}
