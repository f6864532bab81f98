package io.mutexify.azure.cosmos;

import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosAsyncContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.CosmosContainerResponse;
import io.mutexify.azure.cosmos.Docs.CatalogDoc;
import io.mutexify.azure.cosmos.Docs.CursorDoc;
import io.mutexify.azure.cosmos.Docs.HistoryDoc;
import io.mutexify.azure.cosmos.Docs.MarkerDoc;
import io.mutexify.azure.cosmos.Docs.PointerDoc;
import io.mutexify.azure.cosmos.Docs.PublishedDoc;
import io.mutexify.azure.cosmos.Docs.ReplyDoc;
import io.mutexify.azure.cosmos.Docs.SlotDoc;
import io.mutexify.azure.cosmos.Docs.WriteRecord;
import io.mutexify.azure.cosmos.Documents.Read;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.OutboxEntry;
import io.mutexify.model.port.SlotStore;
import io.mutexify.model.port.SlotWrite;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.SlotState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@link SlotStore} on Azure Cosmos DB (NoSQL API): one container, partition key path
 * {@code /pk}, where every hot path is a point read or a point write.
 *
 * <h2>Partitions</h2>
 * <ul>
 *   <li><b>{@code pk = <slot id>}</b>: everything of one slot. The slot document {@code slot}
 *       (state, {@code version}, counters, and the last commit's replies, events and history as
 *       {@code lastWrite}); one {@code reply:<request id>} per recorded reply; one
 *       {@code history:<k>} per commit that ended holds; {@code published} (events in the outbox
 *       log up to which commit).</li>
 *   <li><b>{@code $req:<0..31>}</b>: one pointer per request id, {@code requestId -> slotId}.</li>
 *   <li><b>{@code $catalog}</b>: one small document per slot written with state: what
 *       {@link #loadAll()} lists.</li>
 *   <li><b>{@code $outbox}</b>: the global outbox log ({@link OutboxLog}); <b>{@code $pending}</b>:
 *       markers of slots that may have events not yet in it; <b>{@code $cursors}</b>: subscribers'
 *       cursors.</li>
 * </ul>
 * Slot ids cannot contain {@code $}, so the store's own partitions never meet a slot's.
 *
 * <h2>Commit: one conditional write of one document</h2>
 * A commit replaces the slot document with {@code If-Match} = the ETag of the version the caller
 * read (or creates it, for expected version 0), so it is atomic by itself: the write's replies,
 * events and history travel inside that document as {@code lastWrite}. A 412 (or 409 on create)
 * means another writer got there: the store re-reads the slot document and answers false if the
 * version moved, writing nothing. (A TransactionalBatch would spare the copy-out below, but the
 * test server rejects batch replaces sent by this SDK and never rolls a failed batch back; one
 * conditional document write is as atomic and runs the same code in tests and on Azure.) After
 * the commit the records are copied out to documents of their
 * own, idempotently: replies and history as upserts, events appended to the outbox log. Before
 * the next commit replaces {@code lastWrite}, the store makes sure that copy is complete, so a
 * crash between the two steps delays a reply document or an event, never loses one; readers fall
 * back to {@code lastWrite} meanwhile.
 *
 * <p>The ETag comes from a cache of the last slot document seen (by {@link #load} or a commit),
 * used only when its version equals the expected version. A stale cached ETag costs a 412 and a
 * re-read, never a wrong answer: the version in the re-read document decides. The Lockkeeper
 * always loads right before it commits, so the cache saves a read on every commit.
 *
 * <h2>findReply without a slot id</h2>
 * A pointer {@code requestId -> slotId} is upserted before the commit that records the reply
 * (a batch cannot span partitions). findReply is a point read of the pointer, then of
 * {@code reply:<id>} in that slot's partition (or the slot's {@code lastWrite}). A pointer
 * without a reply beside it (its commit lost a race or never happened) means "no reply yet".
 *
 * <h2>Outbox</h2>
 * Events get one global order in the {@code $outbox} log ({@link OutboxLog}): a commit with events
 * first marks its slot in {@code $pending}, and after the commit appends its events to the log;
 * {@link #outboxAfter} first finishes marked slots whose append never happened (a crash), so an
 * event is delayed, never lost. {@link #outboxAfter} reads the log forward by point reads and
 * sweeps the markers (a partition listing) only once per grace or after a failure; loadAll lists
 * the catalog. Replies, pointers and delivered log documents carry a {@code ttl}; on a container
 * with TTL, prune has nothing to do (see {@code azure-adapters/COSMOS.md}).
 *
 * <h2>Limits</h2>
 * See {@code azure-adapters/COSMOS.md}: cross-slot outbox order is the order commits reached the
 * log; a crash between the log append and its bookkeeping can publish an event twice (receivers
 * deduplicate by event id, as the relay's at-least-once contract already requires); all event
 * appends share one logical partition; a slot document, with its last write, must stay under
 * Cosmos DB's 2 MB item limit.
 */
public final class CosmosSlotStore implements SlotStore {
    private static final Logger LOG = LoggerFactory.getLogger(CosmosSlotStore.class);
    /** Re-reads after a 412 whose version had not moved (a concurrent reply-only write) before giving up as a conflict. */
    private static final int MAX_ETAG_RETRIES = 8;
    private static final int CACHE_SIZE = 4096;
    private static final int LOCK_STRIPES = 256;
    private static final int PARALLEL_READS = 16;
    /** As long as the Lockkeeper's default reply retention ({@code MUTEXIFY_REPLY_RETENTION_HOURS}). */
    static final Duration DEFAULT_REPLY_TTL = Duration.ofHours(24);
    /** A cached cursor is re-read after this long, in case another instance's relay moved it. */
    private static final Duration CURSOR_REFRESH = Duration.ofSeconds(5);

    /**
     * Knobs for tests and operations.
     *
     * @param sweepGrace         how old another instance's unpublished commit (or its pending marker)
     *                           must be before this one publishes it: until then that instance is
     *                           presumed alive and publishing it itself
     * @param stopAfterSlotWrite test hook: return right after the slot document is written, as if
     *                           the process died there
     * @param replyTtl           the {@code ttl} of reply and pointer documents (how long a retry gets its first answer)
     * @param expiresByTtl       whether the container enforces {@code ttl} (then {@link #prune} has nothing to
     *                           do); null: decided by the container's {@code defaultTtl}. The Cosmos DB test
     *                           server keeps expired documents, so tests of prune say false
     */
    record Tuning(Duration sweepGrace, boolean stopAfterSlotWrite, Clock clock, CosmosRetry retry, Duration replyTtl,
                  Boolean expiresByTtl, Duration holeGrace) {
        static Tuning defaults() {
            return new Tuning(Duration.ofSeconds(15), false, Clock.systemUTC(), CosmosRetry.defaults(),
                    DEFAULT_REPLY_TTL, null, OutboxLog.HOLE_GRACE);
        }

        /** How long an outbox number may stay missing below a taken one before it is filled. */
        Tuning withHoleGrace(Duration grace) {
            return new Tuning(sweepGrace, stopAfterSlotWrite, clock, retry, replyTtl, expiresByTtl, grace);
        }

        Tuning withSweepGrace(Duration grace) {
            return new Tuning(grace, stopAfterSlotWrite, clock, retry, replyTtl, expiresByTtl, holeGrace);
        }

        Tuning withStopAfterSlotWrite(boolean stop) {
            return new Tuning(sweepGrace, stop, clock, retry, replyTtl, expiresByTtl, holeGrace);
        }

        /** How long replies and request pointers live (their {@code ttl}). */
        Tuning withReplyTtl(Duration ttl) {
            return new Tuning(sweepGrace, stopAfterSlotWrite, clock, retry, ttl, expiresByTtl, holeGrace);
        }

        /** Whether the container deletes expired documents itself; null: as its {@code defaultTtl} says. */
        Tuning withExpiresByTtl(Boolean expires) {
            return new Tuning(sweepGrace, stopAfterSlotWrite, clock, retry, replyTtl, expires, holeGrace);
        }
    }

    /** The last slot document this process saw, its ETag, and whether its lastWrite is known to be copied out. */
    private record Known(SlotDoc doc, String etag, boolean done) {
    }

    private static final Known ABSENT = new Known(null, null, true);

    private final CosmosAsyncClient client;
    private final boolean ownsClient;
    private final CosmosSettings settings;
    private final Documents docs;
    private final OutboxLog log;
    private final Tuning tuning;
    private final boolean expiresByTtl;
    private final CosmosPendingRequests pending;
    /** Cursors this process read or saved, and when (nanoTime): the relay asks every round. */
    private final Map<String, long[]> cursors = new java.util.concurrent.ConcurrentHashMap<>();
    /** When the pending markers were last swept (nanoTime); the sweep lists a partition, so it is rationed. */
    private volatile long lastSweep = Long.MIN_VALUE;
    private volatile boolean sweepSoon = true;
    private final String instanceId = UUID.randomUUID().toString();
    private final Map<String, Known> known = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
            return size() > CACHE_SIZE;
        }
    });
    private final ReentrantLock[] slotLocks = new ReentrantLock[LOCK_STRIPES];

    private CosmosSlotStore(CosmosAsyncClient client, boolean ownsClient, CosmosSettings settings,
                            CosmosAsyncContainer container, Tuning tuning, boolean expiresByTtl) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.settings = settings;
        this.tuning = tuning;
        this.expiresByTtl = expiresByTtl;
        this.docs = new Documents(container, tuning.retry());
        this.log = new OutboxLog(docs, expiresByTtl, tuning.holeGrace());
        this.pending = new CosmosPendingRequests(docs, tuning.clock());
        for (int i = 0; i < LOCK_STRIPES; i++) {
            slotLocks[i] = new ReentrantLock();
        }
    }

    /** Connects with {@code settings} (key or DefaultAzureCredential); the store closes the client. */
    public static CosmosSlotStore open(CosmosSettings settings) {
        CosmosAsyncClient client = CosmosClients.build(settings);
        try {
            return open(client, settings, true, Tuning.defaults());
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Connects with {@code settings}; replies and request pointers live {@code replyTtl}. */
    public static CosmosSlotStore open(CosmosSettings settings, Duration replyTtl) {
        CosmosAsyncClient client = CosmosClients.build(settings);
        try {
            return open(client, settings, true, Tuning.defaults().withReplyTtl(replyTtl));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Uses {@code client}, which the caller keeps and closes. */
    public static CosmosSlotStore open(CosmosAsyncClient client, CosmosSettings settings) {
        return open(client, settings, false, Tuning.defaults());
    }

    static CosmosSlotStore open(CosmosAsyncClient client, CosmosSettings settings, boolean ownsClient, Tuning tuning) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(settings, "settings");
        CosmosContainerProperties props = ensureContainer(client, settings);
        boolean ttl = tuning.expiresByTtl() != null ? tuning.expiresByTtl()
                : props != null && props.getDefaultTimeToLiveInSeconds() != null;
        if (!ttl) {
            LOG.warn("container {}/{} has no defaultTtl: replies, pointers and delivered events are removed by"
                    + " prune, which lists partitions; set defaultTtl -1 (infra/ does)", settings.database(),
                    settings.container());
        }
        LOG.info("slot store on Cosmos DB {}/{} opened", settings.database(), settings.container());
        return new CosmosSlotStore(client, ownsClient, settings,
                client.getDatabase(settings.database()).getContainer(settings.container()), tuning, ttl);
    }

    /**
     * Creates the database and container when they are missing (works with a key; with a managed
     * identity the data plane may not create them: provision them with infra/ instead), and checks
     * the container's partition key path.
     */
    private static CosmosContainerProperties ensureContainer(CosmosAsyncClient client, CosmosSettings settings) {
        String where = settings.database() + "/" + settings.container();
        try {
            client.createDatabaseIfNotExists(settings.database()).block();
            // defaultTtl -1: expiry on, and only documents that carry a ttl of their own ever expire.
            CosmosContainerProperties wanted = new CosmosContainerProperties(settings.container(), "/pk");
            wanted.setDefaultTimeToLiveInSeconds(-1);
            CosmosContainerResponse response = client.getDatabase(settings.database())
                    .createContainerIfNotExists(wanted).block();
            List<String> paths = response == null || response.getProperties() == null ? List.of("/pk")
                    : response.getProperties().getPartitionKeyDefinition().getPaths();
            if (!paths.equals(List.of("/pk"))) {
                throw new CosmosStoreException("container " + where + " is partitioned by " + paths
                        + ", but the slot store needs /pk");
            }
            return response == null ? null : response.getProperties();
        } catch (RuntimeException e) {
            Throwable cause = reactor.core.Exceptions.unwrap(e);
            if (cause instanceof CosmosException ce) {
                String hint = ce.getStatusCode() == 403
                        ? " (this identity may not create databases or containers: provision them with infra/)" : "";
                throw new CosmosStoreException("cannot open Cosmos DB container " + where + ": status "
                        + ce.getStatusCode() + hint, ce.getStatusCode(), ce);
            }
            throw e;
        }
    }

    /** Durable records of client commands on their way, in this store's container. */
    public CosmosPendingRequests pendingRequests() {
        return pending;
    }

    /** Whether the container deletes expired replies, pointers and delivered events itself (so prune has nothing to do). */
    public boolean expiresByTtl() {
        return expiresByTtl;
    }

    /** Where this store lives (never the key). */
    public CosmosSettings settings() {
        return settings;
    }

    /** The API keys, in this store's container (partitions {@code $key:*} and {@code $keyring:*}). */
    public CosmosApiKeyStore apiKeys() {
        return new CosmosApiKeyStore(docs);
    }

    // ---- reads ----

    @Override
    public SlotState load(String slotId) {
        Keys.checkSlotId(slotId);
        Optional<Read<SlotDoc>> read = await("load slot", readSlot(slotId));
        if (read.isEmpty()) {
            return SlotState.empty(slotId);
        }
        remember(slotId, read.get());
        return stateOf(slotId, read.get().value());
    }

    private static SlotState stateOf(String slotId, SlotDoc doc) {
        return doc.state() == null ? SlotState.empty(slotId) : doc.state().withVersion(doc.version());
    }

    @Override
    public List<SlotState> loadAll() {
        List<Read<CatalogDoc>> catalog = await("list slots", docs.readAll(Keys.CATALOG, "catalog", CatalogDoc.class));
        List<SlotState> all = await("load slots", Flux.fromIterable(catalog)
                .flatMap(c -> readSlot(c.value().slotId()), PARALLEL_READS)
                .filter(Optional::isPresent)
                .map(r -> r.get().value())
                .filter(d -> d.state() != null)
                .map(d -> stateOf(d.pk(), d))
                .collectList());
        List<SlotState> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(SlotState::id));
        return sorted;
    }

    @Override
    public Optional<Reply> findReply(String requestId) {
        Objects.requireNonNull(requestId, "requestId");
        Optional<Read<PointerDoc>> pointer = await("find reply",
                docs.read(Keys.requestPartition(requestId), Keys.id(requestId), PointerDoc.class));
        if (pointer.isEmpty() || !requestId.equals(pointer.get().value().requestId())) {
            return Optional.empty();
        }
        String slotId = pointer.get().value().slotId();
        Optional<Read<ReplyDoc>> reply = await("find reply", docs.read(slotId, Keys.replyDoc(requestId), ReplyDoc.class));
        if (reply.isPresent() && requestId.equals(reply.get().value().requestId())) {
            return Optional.ofNullable(reply.get().value().reply());
        }
        // Not copied out yet (or never committed): the slot's last write may hold it.
        return await("find reply", readSlot(slotId))
                .map(r -> r.value().lastWrite())
                .flatMap(w -> w.replies().stream().filter(x -> requestId.equals(x.requestId())).findFirst());
    }

    @Override
    public List<HistoryEntry> history(String slotId, int limit) {
        Keys.checkSlotId(slotId);
        if (limit <= 0) {
            return List.of();
        }
        Optional<Read<SlotDoc>> slot = await("read history", readSlot(slotId));
        if (slot.isEmpty()) {
            return List.of();
        }
        SlotDoc doc = slot.get().value();
        List<HistoryEntry> newestFirst = new ArrayList<>();
        long k = doc.historyCount();
        while (k >= 1 && newestFirst.size() < limit) {
            // Every history document holds at least one entry: no more documents than entries still wanted.
            int want = (int) Math.min(Math.min(k, limit - newestFirst.size()), 64);
            List<Long> ks = new ArrayList<>();
            for (long i = k; i > k - want; i--) {
                ks.add(i);
            }
            List<Optional<Read<HistoryDoc>>> chunk = await("read history", Flux.fromIterable(ks)
                    .flatMapSequential(i -> docs.read(slotId, Keys.historyDoc(i), HistoryDoc.class), PARALLEL_READS)
                    .collectList());
            for (int j = 0; j < ks.size(); j++) {
                long kj = ks.get(j);
                List<HistoryEntry> entries = chunk.get(j).map(r -> r.value().entries())
                        .orElseGet(() -> lastWriteHistory(doc, kj));
                for (int e = entries.size() - 1; e >= 0 && newestFirst.size() < limit; e--) {
                    newestFirst.add(entries.get(e));
                }
            }
            k -= want;
        }
        return newestFirst;
    }

    /** The history of commit k from the slot's lastWrite, if that is the one not yet copied out. */
    private static List<HistoryEntry> lastWriteHistory(SlotDoc doc, long k) {
        WriteRecord w = doc.lastWrite();
        return w != null && w.historyK() == k ? w.history() : List.of();
    }

    @Override
    public boolean isReachable() {
        try {
            await("readiness check", docs.container().read());
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Cosmos DB {}/{} not reachable: {}", settings.database(), settings.container(), e.getMessage());
            return false;
        }
    }

    // ---- commit ----

    @Override
    public boolean commit(SlotWrite write) {
        check(write);
        ReentrantLock lock = lockFor(write.slotId());
        lock.lock();
        try {
            return commitLocked(write);
        } finally {
            lock.unlock();
        }
    }

    private static void check(SlotWrite write) {
        Objects.requireNonNull(write, "write");
        Keys.checkSlotId(write.slotId());
        if (write.expectedVersion() < 0) {
            throw new IllegalArgumentException("expectedVersion must not be negative: " + write.expectedVersion());
        }
        if (write.newState() != null && !write.slotId().equals(write.newState().id())) {
            throw new IllegalArgumentException("state of slot " + write.newState().id() + " written to slot "
                    + write.slotId());
        }
        for (Reply r : write.replies()) {
            if (r.requestId() == null) {
                throw new IllegalArgumentException("a stored reply needs a request id");
            }
        }
    }

    /** What a commit already wrote before its slot document, so a retry after a 412 does not write it again. */
    private final class Prepared {
        final String slotId;
        boolean pointers;
        boolean catalog;
        String markerEtag;

        Prepared(String slotId) {
            this.slotId = slotId;
        }

        /** Removes this commit's pending marker, if the commit wrote one; best effort (the sweep removes leftovers). */
        void dropMarker() {
            if (markerEtag == null) {
                return;
            }
            try {
                await("drop pending marker", docs.delete(Keys.PENDING, Keys.id(slotId), markerEtag));
            } catch (RuntimeException e) {
                LOG.debug("slot {}: pending marker left for the sweep: {}", slotId, e.toString());
            }
            markerEtag = null;
        }
    }

    private boolean commitLocked(SlotWrite write) {
        String slotId = write.slotId();
        long expected = write.expectedVersion();
        Instant at = write.at() != null ? write.at() : tuning.clock().instant();
        String writeId = UUID.randomUUID().toString();
        Prepared prepared = new Prepared(slotId);
        Known cur = current(slotId, expected);
        for (int attempt = 1; ; attempt++) {
            if (conflicts(cur, expected)) {
                prepared.dropMarker();
                return false;
            }
            if (cur.doc() != null && !cur.done()) {
                // The slot's last write (another process's, or one of ours that failed half-way) may not
                // be copied out yet; lastWrite is about to be replaced, so finish it first.
                finishPrevious(slotId, cur.doc());
                cur = markDone(slotId, cur);
            }
            prepare(write, cur, at, prepared);
            SlotDoc next = next(write, cur.doc(), writeId, at, instanceId, tuning.clock().instant());
            Optional<String> etag = await("commit slot", cur.doc() == null
                    ? docs.create(slotId, next)
                    : docs.replace(slotId, Keys.SLOT_DOC, next, cur.etag()));
            if (etag.isEmpty()) {
                Optional<Read<SlotDoc>> now = await("commit slot", readSlot(slotId));
                if (now.isPresent() && writeId.equals(now.get().value().writeId())) {
                    // An earlier try timed out, but landed: that is our commit.
                    etag = Optional.of(now.get().etag());
                } else {
                    cur = now.map(r -> remember(slotId, r)).orElse(ABSENT);
                    if (attempt >= MAX_ETAG_RETRIES) {
                        LOG.warn("slot {}: still changing after {} tries, reporting a conflict", slotId, attempt);
                        prepared.dropMarker();
                        return false;
                    }
                    continue;
                }
            }
            known.put(slotId, new Known(next, etag.get(), false));
            if (tuning.stopAfterSlotWrite()) {
                return true;
            }
            try {
                copyOut(slotId, next.lastWrite(), true);
                markDone(slotId, new Known(next, etag.get(), false));
                prepared.dropMarker();
            } catch (RuntimeException e) {
                sweepSoon = true;
                // Committed all the same: lastWrite holds everything, the next commit or the sweep finishes it.
                LOG.warn("slot {}: committed, but copying out its records failed; they stay in the slot document"
                        + " until the next commit or the outbox sweep: {}", slotId, e.getMessage());
            }
            return true;
        }
    }

    /** The slot document to check {@code expected} against: the cached one if it can decide, else a fresh read. */
    private Known current(String slotId, long expected) {
        Known k = known.get(slotId);
        // Versions never go back: a cached version above the expected one is a conflict for sure.
        if (k != null && k.doc() != null && k.doc().version() >= expected) {
            return k;
        }
        return await("commit slot", readSlot(slotId)).map(r -> remember(slotId, r)).orElse(ABSENT);
    }

    private static boolean conflicts(Known cur, long expected) {
        return cur.doc() == null ? expected != 0 : cur.doc().version() != expected;
    }

    /** Writes what must exist before the slot document: request pointers, the catalog entry, the pending marker. */
    private void prepare(SlotWrite write, Known cur, Instant at, Prepared p) {
        String slotId = write.slotId();
        List<Mono<?>> ops = new ArrayList<>();
        if (!p.pointers) {
            for (Reply r : write.replies()) {
                ops.add(docs.upsert(Keys.requestPartition(r.requestId()), new PointerDoc(Keys.id(r.requestId()),
                        Keys.requestPartition(r.requestId()), "pointer", r.requestId(), slotId, at, replyTtlSeconds())));
            }
        }
        boolean firstState = write.newState() != null && (cur.doc() == null || cur.doc().state() == null);
        if (!p.catalog && firstState) {
            ops.add(docs.upsert(Keys.CATALOG, new CatalogDoc(Keys.id(slotId), Keys.CATALOG, "catalog", slotId)));
        }
        Mono<String> marker = null;
        if (p.markerEtag == null && !write.events().isEmpty()) {
            marker = docs.upsert(Keys.PENDING, new MarkerDoc(Keys.id(slotId), Keys.PENDING, "marker", slotId,
                    instanceId, tuning.clock().instant()));
        }
        String markerEtag = await("prepare commit", Mono.zip(
                Flux.fromIterable(ops).flatMap(m -> m, PARALLEL_READS).then(Mono.just("")),
                marker == null ? Mono.just("") : marker).map(t -> t.getT2()));
        p.pointers = true;
        p.catalog = p.catalog || firstState;
        if (marker != null) {
            p.markerEtag = markerEtag;
        }
    }

    private Integer replyTtlSeconds() {
        return (int) Math.min(Integer.MAX_VALUE, tuning.replyTtl().toSeconds());
    }

    private static SlotDoc next(SlotWrite write, SlotDoc cur, String writeId, Instant at, String publisher,
                                Instant now) {
        long version = write.newState() != null ? write.expectedVersion() + 1 : write.expectedVersion();
        SlotState state = write.newState() != null ? write.newState().withVersion(version)
                : cur == null ? null : cur.state();
        long n = (cur == null ? 0 : cur.writes()) + 1;
        long historyCount = cur == null ? 0 : cur.historyCount();
        long historyK = write.history().isEmpty() ? 0 : historyCount + 1;
        WriteRecord record = new WriteRecord(n, historyK, at, write.replies(), write.events(), write.history(),
                publisher, now);
        return new SlotDoc(Keys.SLOT_DOC, write.slotId(), "slot", version, state, n,
                historyK == 0 ? historyCount : historyK, writeId, record);
    }

    /**
     * Copies a commit's records out of the slot document: reply and history documents (upserts, in
     * parallel) and the events to the outbox log. {@code fresh}: this process just wrote it, so its
     * events cannot be in the log yet; otherwise the slot's {@code published} document decides, and
     * another live instance's commit is left to that instance to publish (see {@link #publishedBy}).
     */
    private void copyOut(String slotId, WriteRecord w, boolean fresh) {
        if (w == null) {
            return;
        }
        List<Mono<String>> ops = new ArrayList<>();
        for (Reply r : w.replies()) {
            ops.add(docs.upsert(slotId, new ReplyDoc(Keys.replyDoc(r.requestId()), slotId, "reply", r.requestId(), r,
                    w.at(), replyTtlSeconds())));
        }
        if (!w.history().isEmpty()) {
            ops.add(docs.upsert(slotId, new HistoryDoc(Keys.historyDoc(w.historyK()), slotId, "history",
                    w.historyK(), w.history())));
        }
        CompletableFuture<Void> copies = Flux.fromIterable(ops).flatMap(m -> m, PARALLEL_READS).then().toFuture();
        RuntimeException failure = null;
        try {
            if (!w.events().isEmpty() && (fresh || !publishedBy(slotId, w))) {
                log.append(slotId, w.n(), w.events(), w.at());
                await("mark published", docs.upsert(slotId,
                        new PublishedDoc(Keys.PUBLISHED_DOC, slotId, "published", w.n())));
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            Documents.await("copy out records", Mono.fromFuture(copies));
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Whether commit {@code w}'s events are in the log. When another store instance committed it
     * less than the sweep grace ago, that instance is most likely publishing right now: wait for it
     * rather than publish the events a second time; past the grace it is presumed dead, and we take over.
     */
    private boolean publishedBy(String slotId, WriteRecord w) {
        boolean someoneElses = w.publisher() != null && !w.publisher().equals(instanceId) && w.committedAt() != null;
        Instant deadline = someoneElses ? w.committedAt().plus(tuning.sweepGrace()) : Instant.MIN;
        long pauseMillis = 5;
        while (true) {
            boolean published = await("read published", docs.read(slotId, Keys.PUBLISHED_DOC, PublishedDoc.class))
                    .map(r -> r.value().upTo() >= w.n()).orElse(false);
            if (published || !tuning.clock().instant().isBefore(deadline)) {
                if (!published && someoneElses) {
                    LOG.warn("slot {}: commit {} of another instance is still unpublished after {}; publishing it",
                            slotId, w.n(), tuning.sweepGrace());
                }
                return published;
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CosmosStoreException("interrupted while waiting for another instance to publish");
            }
            pauseMillis = Math.min(pauseMillis * 2, 200);
        }
    }

    private void finishPrevious(String slotId, SlotDoc doc) {
        copyOut(slotId, doc.lastWrite(), false);
    }

    // ---- cache ----

    /** Caches {@code read} unless a newer document of the slot is cached; returns what it knows of {@code read}. */
    private Known remember(String slotId, Read<SlotDoc> read) {
        synchronized (known) {
            Known old = known.get(slotId);
            Known fresh = old != null && old.doc() != null && read.etag() != null && read.etag().equals(old.etag())
                    ? old : new Known(read.value(), read.etag(), false);
            if (old == null || old.doc() == null || fresh.doc().writes() >= old.doc().writes()) {
                known.put(slotId, fresh);
            }
            return fresh;
        }
    }

    private Known markDone(String slotId, Known k) {
        Known done = new Known(k.doc(), k.etag(), true);
        synchronized (known) {
            Known now = known.get(slotId);
            if (now == null || Objects.equals(now.etag(), k.etag())) {
                known.put(slotId, done);
            }
        }
        return done;
    }

    private ReentrantLock lockFor(String slotId) {
        return slotLocks[Math.floorMod(slotId.hashCode(), LOCK_STRIPES)];
    }

    private Mono<Optional<Read<SlotDoc>>> readSlot(String slotId) {
        return docs.read(slotId, Keys.SLOT_DOC, SlotDoc.class);
    }

    // ---- outbox ----

    /**
     * Entries of the global outbox log after {@code afterSeq}. First it finishes commits whose events
     * may not have reached the log (pending markers: this process's at once, other processes' once
     * older than the sweep grace), so a crash between commit and publish only delays an event.
     */
    @Override
    public List<OutboxEntry> outboxAfter(long afterSeq, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        long now = System.nanoTime();
        // Markers of this process are left only by a failure (which asks for a sweep); other processes'
        // are looked at once older than the grace, so sweeping more often than that finds nothing new.
        if (sweepSoon || now - lastSweep >= tuning.sweepGrace().toNanos()) {
            sweepSoon = false;
            lastSweep = now;
            sweep();
        }
        return log.after(afterSeq, limit);
    }

    private void sweep() {
        List<Read<MarkerDoc>> markers = await("read pending markers",
                docs.readAll(Keys.PENDING, "marker", MarkerDoc.class));
        Instant now = tuning.clock().instant();
        for (Read<MarkerDoc> m : markers) {
            MarkerDoc marker = m.value();
            boolean ours = instanceId.equals(marker.owner());
            if (!ours && marker.at() != null && Duration.between(marker.at(), now).compareTo(tuning.sweepGrace()) < 0) {
                continue; // another process may be in the middle of that commit
            }
            ReentrantLock lock = lockFor(marker.slotId());
            lock.lock();
            try {
                Optional<Read<SlotDoc>> slot = await("sweep slot", readSlot(marker.slotId()));
                if (slot.isPresent()) {
                    Known k = remember(marker.slotId(), slot.get());
                    if (!k.done()) {
                        finishPrevious(marker.slotId(), slot.get().value());
                        markDone(marker.slotId(), k);
                    }
                }
                await("drop pending marker", docs.delete(Keys.PENDING, marker.id(), m.etag()));
            } catch (RuntimeException e) {
                sweepSoon = true;
                LOG.warn("outbox sweep of slot {} failed, retrying on the next read: {}", marker.slotId(), e.getMessage());
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public long cursor(String subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        long[] known = cursors.get(subscriber);
        if (known != null && System.nanoTime() - known[1] < CURSOR_REFRESH.toNanos()) {
            return known[0];
        }
        long seq = await("read cursor", docs.read(Keys.CURSORS, Keys.id(subscriber), CursorDoc.class))
                .map(r -> r.value().seq()).orElse(0L);
        cursors.put(subscriber, new long[] {seq, System.nanoTime()});
        return seq;
    }

    /** Saves the cursor; with TTL on, the log documents it passed are given a ttl (see {@link OutboxLog#delivered}). */
    @Override
    public void saveCursor(String subscriber, long seq) {
        Objects.requireNonNull(subscriber, "subscriber");
        await("save cursor", docs.upsert(Keys.CURSORS,
                new CursorDoc(Keys.id(subscriber), Keys.CURSORS, "cursor", subscriber, seq)));
        cursors.put(subscriber, new long[] {seq, System.nanoTime()});
        if (expiresByTtl) {
            try {
                log.delivered(seq);
            } catch (RuntimeException e) {
                LOG.debug("delivered events keep no ttl for now: {}", e.toString());
            }
        }
    }

    /**
     * Deletes replies recorded before {@code before} (listing the pointer partitions, not the slots)
     * and the outbox entries every subscriber delivered (with no subscribers: those recorded before
     * {@code before}). History and slots stay. Only for a container without TTL (the test server):
     * with TTL those documents carry a {@code ttl} and Cosmos DB deletes them, so this reads nothing.
     */
    @Override
    public int prune(Instant before, List<String> subscribers) {
        Objects.requireNonNull(before, "before");
        List<String> subs = List.copyOf(subscribers);
        if (expiresByTtl) {
            return 0; // replies, pointers and delivered events carry a ttl: Cosmos DB deletes them, no listing
        }
        // Pointers older than `before`, from all buckets at once; each names the reply document to delete.
        List<Read<PointerDoc>> old = await("prune replies", Flux.range(0, Keys.REQUEST_BUCKETS)
                .flatMap(b -> docs.readAll(Keys.requestPartition(b), "pointer", PointerDoc.class), PARALLEL_READS)
                .flatMapIterable(list -> list)
                .filter(p -> p.value().at() != null && p.value().at().isBefore(before))
                .collectList());
        int removed = await("prune replies", Flux.fromIterable(old)
                .flatMap(p -> docs.delete(p.value().slotId(), Keys.replyDoc(p.value().requestId()), null)
                        .flatMap(gone -> docs.delete(p.value().pk(), p.value().id(), p.etag()).thenReturn(gone)),
                        PARALLEL_READS)
                .filter(gone -> gone)
                .count()).intValue();
        Long delivered = null;
        if (!subs.isEmpty()) {
            delivered = Long.MAX_VALUE;
            for (String s : subs) {
                delivered = Math.min(delivered, cursor(s));
            }
        }
        removed += log.prune(before, delivered);
        return removed;
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    private static <T> T await(String what, Mono<T> mono) {
        return Documents.await(what, mono);
    }
}
