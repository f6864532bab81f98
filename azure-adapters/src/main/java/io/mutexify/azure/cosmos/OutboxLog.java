package io.mutexify.azure.cosmos;

import io.mutexify.azure.cosmos.Docs.FloorDoc;
import io.mutexify.azure.cosmos.Docs.LogDoc;
import io.mutexify.azure.cosmos.Documents.Read;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.port.OutboxEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/**
 * The global outbox log: one document per commit's events, {@code log:<n>} in partition
 * {@code $outbox}, numbered 1, 2, 3... without gaps. Creating document {@code n} is how a publisher
 * takes number {@code n}: a create fails with 409 if someone else took it. The event at index i of
 * document n has outbox seq {@code n * STRIDE + offset + i}.
 *
 * <h2>Reading forward, by point reads</h2>
 * A reader after seq s reads document {@code s / STRIDE}, then the next numbers one by one until one
 * is missing: no partition listing, and documents this process wrote or read recently come from
 * memory. Numbers are handed out in parallel (an atomic counter, no lock around the round trip), so a
 * number can be missing for a moment while a higher one exists; if one stays missing for
 * {@link #HOLE_GRACE} (its append failed) it is filled with an empty document, so readers move on.
 * A late append that finds its number filled takes a higher one: nothing is lost.
 *
 * <h2>Expiry and the floor</h2>
 * Delivered documents are given a {@code ttl} of {@link #DELIVERED_TTL} (on a container without TTL,
 * prune deletes them instead). Their numbers must never be taken again: the {@code floor} document
 * is raised above them before they are marked or deleted, and a publisher reads the floor after its
 * create and moves above it. With TTL a publisher whose idea of the last number is younger than
 * {@link #FRESH} skips that read: every document above that number was created after it was
 * learned, and none expires sooner than {@code DELIVERED_TTL} after its creation.
 */
final class OutboxLog {
    /** Outbox seqs per log document: a commit with more events than this spans several documents. */
    static final long STRIDE = 1024;
    static final String FLOOR_DOC = "floor";
    /** How long a delivered log document stays before Cosmos DB deletes it (prune keeps none longer, either). */
    static final Duration DELIVERED_TTL = Duration.ofHours(1);
    /** Knowledge of the last number younger than this needs no floor read (half the ttl: room for clock skew). */
    static final Duration FRESH = Duration.ofMinutes(30);
    /** By default, how long a number may stay missing below a taken one before it is filled as a failed append's hole. */
    static final Duration HOLE_GRACE = Duration.ofSeconds(10);
    /** Delivered documents are marked with their ttl in groups: at least this many, or ... */
    private static final int MARK_BATCH = 32;
    /** ... once the oldest unmarked one waited this long. */
    private static final Duration MARK_EVERY = Duration.ofMinutes(5);
    private static final int MAX_TRIES = 64;
    private static final int RECENT = 512;

    private final Documents docs;
    /** The highest number this process took or saw taken; -1 until first needed. */
    private final AtomicLong lastN = new AtomicLong(-1);
    /** When (nanoTime) lastN was last confirmed against the server. */
    private volatile long learnedAt;
    private final Object discover = new Object();
    /** Log documents this process wrote or read lately, by number: readers ask for them again at once. */
    private final Map<Long, Read<LogDoc>> recent = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Read<LogDoc>> eldest) {
            return size() > RECENT;
        }
    });
    private final Map<Long, Long> holeSince = new ConcurrentHashMap<>();
    private volatile long lastProbe = Long.MIN_VALUE / 2;
    private final Object marking = new Object();
    /** Delivered documents waiting for their ttl, by number; guarded by marking. */
    private final Map<Long, Read<LogDoc>> toMark = new LinkedHashMap<>();
    private long oldestToMark;

    /** Whether documents leave only by expiry (never by prune): then a fresh idea of the last number skips the floor read. */
    private final boolean expiresByTtl;

    private final Duration holeGrace;

    OutboxLog(Documents docs, boolean expiresByTtl, Duration holeGrace) {
        this.docs = docs;
        this.expiresByTtl = expiresByTtl;
        this.holeGrace = holeGrace;
    }

    private static <T> T await(Mono<T> mono) {
        return Documents.await("outbox log", mono);
    }

    /** Appends one commit's events, in order, as one or more log documents. */
    void append(String slotId, long write, List<LockEvent> events, Instant at) {
        for (int from = 0; from < events.size(); from += (int) STRIDE) {
            appendChunk(slotId, write, events.subList(from, (int) Math.min(events.size(), from + STRIDE)), at);
        }
    }

    private void appendChunk(String slotId, long write, List<LockEvent> events, Instant at) {
        knowLast();
        for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
            long n = lastN.incrementAndGet();
            boolean fresh = expiresByTtl && System.nanoTime() - learnedAt < FRESH.toNanos();
            String publishId = UUID.randomUUID().toString();
            LogDoc doc = new LogDoc(Keys.logDoc(n), Keys.OUTBOX, "log", n, slotId, write, 0, events, at, publishId, null);
            Optional<String> etag = await(docs.create(Keys.OUTBOX, doc));
            if (etag.isEmpty()) {
                // 409: taken. By us, if an earlier try of this create timed out but landed.
                Optional<Read<LogDoc>> there = await(docs.read(Keys.OUTBOX, doc.id(), LogDoc.class));
                if (there.isPresent() && publishId.equals(there.get().value().publishId())) {
                    etag = Optional.ofNullable(there.get().etag());
                } else {
                    there.ifPresent(r -> recent.put(n, r));
                    learned(Math.max(lastTakenFrom(n), fresh ? 0 : floor()));
                    continue;
                }
            }
            if (!fresh) {
                long floor = floor();
                if (floor >= n) {
                    // A number freed by expiry or prune: a relay may already be past it.
                    await(docs.delete(Keys.OUTBOX, doc.id(), null));
                    learned(floor);
                    continue;
                }
            }
            learned(n);
            recent.put(n, new Read<>(doc, etag.orElse(null)));
            return;
        }
        throw new CosmosStoreException("could not append to the outbox log after " + MAX_TRIES
                + " tries: too many concurrent publishers");
    }

    private void learned(long taken) {
        lastN.accumulateAndGet(taken, Math::max);
        learnedAt = System.nanoTime();
    }

    /** Finds the last number once per process: from the floor, galloping by point reads (no listing). */
    private void knowLast() {
        if (lastN.get() >= 0) {
            return;
        }
        synchronized (discover) {
            if (lastN.get() < 0) {
                long floor = floor();
                learned(exists(floor + 1) ? lastTakenFrom(floor + 1) : floor);
            }
        }
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
        return read(n).isPresent();
    }

    /** Document {@code n}, from memory when this process wrote or read it lately. */
    private Optional<Read<LogDoc>> read(long n) {
        Read<LogDoc> cached = recent.get(n);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Read<LogDoc>> r = await(docs.read(Keys.OUTBOX, Keys.logDoc(n), LogDoc.class));
        r.ifPresent(d -> recent.put(n, d));
        return r;
    }

    private long floor() {
        return await(docs.read(Keys.OUTBOX, FLOOR_DOC, FloorDoc.class)).map(r -> r.value().n()).orElse(0L);
    }

    /** Entries with seq above {@code afterSeq}, in seq order, at most {@code limit}: point reads forward. */
    List<OutboxEntry> after(long afterSeq, int limit) {
        List<OutboxEntry> entries = new ArrayList<>();
        long n = Math.max(1, afterSeq / STRIDE);
        boolean floorChecked = false;
        while (entries.size() < limit) {
            Optional<Read<LogDoc>> doc = read(n);
            if (doc.isEmpty()) {
                if (!floorChecked && entries.isEmpty()) {
                    // The start may have expired or been pruned: continue above the floor.
                    floorChecked = true;
                    long floor = floor();
                    if (floor >= n) {
                        n = floor + 1;
                        continue;
                    }
                }
                if (isHole(n)) {
                    continue; // filled: read it again
                }
                break;
            }
            holeSince.remove(n);
            LogDoc d = doc.get().value();
            for (int i = 0; i < d.events().size() && entries.size() < limit; i++) {
                long seq = seq(d, i);
                if (seq > afterSeq) {
                    entries.add(new OutboxEntry(seq, d.events().get(i)));
                }
            }
            n++;
        }
        return entries;
    }

    /**
     * Whether missing number {@code n} is a hole (a higher number is taken) that stayed open past the
     * grace and is now filled with an empty document. Looks higher only when this process knows of a
     * higher number or already suspects this hole, or once per grace (holes left by other processes).
     */
    private boolean isHole(long n) {
        long now = System.nanoTime();
        boolean probe = lastN.get() > n || holeSince.containsKey(n) || now - lastProbe >= holeGrace.toNanos();
        if (!probe) {
            return false;
        }
        lastProbe = now;
        if (!exists(n + 1)) {
            holeSince.remove(n);
            return false;
        }
        long since = holeSince.computeIfAbsent(n, k -> now);
        if (now - since < holeGrace.toNanos()) {
            return false;
        }
        LogDoc filler = new LogDoc(Keys.logDoc(n), Keys.OUTBOX, "log", n, null, 0, 0, List.of(), Instant.now(),
                "hole-" + UUID.randomUUID(), null);
        // A 409 means the late append landed after all: either way number n now exists.
        await(docs.create(Keys.OUTBOX, filler)).ifPresent(etag -> recent.put(n, new Read<>(filler, etag)));
        holeSince.remove(n);
        return true;
    }

    private static long seq(LogDoc d, int index) {
        return d.n() * STRIDE + d.offset() + index;
    }

    private static long lastSeq(LogDoc d) {
        return d.n() * STRIDE + d.offset() + d.events().size() - 1;
    }

    /**
     * Every event up to {@code seq} was delivered: documents this process knows that are wholly
     * delivered get their {@code ttl}, in groups, after the floor is raised above them. Documents
     * another process wrote and this one never read are left without one (storage only: readers
     * never come back to them).
     */
    void delivered(long seq) {
        synchronized (marking) {
            long upTo = seq / STRIDE;
            List<Long> known;
            synchronized (recent) {
                known = new ArrayList<>(recent.keySet());
            }
            for (long n : known) {
                Read<LogDoc> r = recent.get(n);
                if (n <= upTo && r != null && r.value().ttl() == null && lastSeq(r.value()) <= seq
                        && !toMark.containsKey(n)) {
                    if (toMark.isEmpty()) {
                        oldestToMark = System.nanoTime();
                    }
                    toMark.put(n, r);
                }
            }
            if (toMark.isEmpty() || toMark.size() < MARK_BATCH
                    && System.nanoTime() - oldestToMark < MARK_EVERY.toNanos()) {
                return;
            }
            long highest = toMark.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            raiseFloor(highest);
            int ttl = (int) DELIVERED_TTL.toSeconds();
            for (Read<LogDoc> r : toMark.values()) {
                LogDoc d = r.value();
                LogDoc expiring = new LogDoc(d.id(), d.pk(), d.type(), d.n(), d.slotId(), d.write(), d.offset(),
                        d.events(), d.at(), d.publishId(), ttl);
                await(docs.upsert(Keys.OUTBOX, expiring));
                recent.remove(d.n());
            }
            toMark.clear();
        }
    }

    /**
     * For a container without TTL (where publishers always read the floor): removes delivered events
     * (with {@code delivered} null: those recorded before {@code before}; otherwise those with seq up
     * to {@code delivered}). Returns how many events went.
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
        recent.clear();
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
                    d.events().subList(from, d.events().size()), d.at(), d.publishId(), d.ttl());
            if (await(docs.replace(Keys.OUTBOX, d.id(), rest, trim.get(i).etag())).isPresent()) {
                removed += from;
            }
        }
        return removed;
    }

    /** Makes the floor at least {@code n}, before any document up to n is deleted or given a ttl. */
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
