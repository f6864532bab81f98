package io.mutexify.azure.cosmos;

import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosAsyncContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.CosmosContainerResponse;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.OutboxEntry;
import io.mutexify.model.port.SlotStore;
import io.mutexify.model.port.SlotWrite;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.SlotState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    /** How many point reads or writes one call keeps in flight. */
    static final int PARALLEL_READS = 16;
    /** As long as the Lockkeeper's default reply retention ({@code MUTEXIFY_REPLY_RETENTION_HOURS}). */
    static final Duration DEFAULT_REPLY_TTL = Duration.ofHours(24);

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

        /** The clock records are dated by (the pending-request records, the outbox's wall times). */
        Tuning withClock(Clock newClock) {
            return new Tuning(sweepGrace, stopAfterSlotWrite, newClock, retry, replyTtl, expiresByTtl, holeGrace);
        }

        /** Whether the container deletes expired documents itself; null: as its {@code defaultTtl} says. */
        Tuning withExpiresByTtl(Boolean expires) {
            return new Tuning(sweepGrace, stopAfterSlotWrite, clock, retry, replyTtl, expires, holeGrace);
        }
    }

    private final CosmosAsyncClient client;
    private final boolean ownsClient;
    private final CosmosSettings settings;
    private final DocumentClient docs;
    private final boolean expiresByTtl;
    private final CosmosPendingRequests pending;
    private final SlotReads reads;
    private final SlotCommits commits;
    private final OutboxSweep outbox;

    private CosmosSlotStore(CosmosAsyncClient client, boolean ownsClient, CosmosSettings settings,
                            CosmosAsyncContainer container, Tuning tuning, boolean expiresByTtl) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.settings = settings;
        this.expiresByTtl = expiresByTtl;
        this.docs = new DocumentClient(container, tuning.retry());
        OutboxLog outbox = new OutboxLog(docs, expiresByTtl, tuning.holeGrace());
        this.pending = new CosmosPendingRequests(docs, tuning.clock());
        KnownSlots cache = new KnownSlots(docs);
        String instanceId = UUID.randomUUID().toString();
        AtomicBoolean sweepSoon = new AtomicBoolean(true);
        this.reads = new SlotReads(docs, cache);
        this.commits = new SlotCommits(docs, cache, outbox, tuning, instanceId, sweepSoon);
        this.outbox = new OutboxSweep(docs, cache, commits, outbox, tuning, instanceId, expiresByTtl, sweepSoon);
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

    /** The API keys, in this store's container (partitions {@code $key:*} and {@code $keyring:*}). */
    public CosmosApiKeyStore apiKeys() {
        return new CosmosApiKeyStore(docs);
    }

    // ---- the SlotStore, by job ----

    @Override
    public SlotState load(String slotId) {
        return reads.load(slotId);
    }

    @Override
    public List<SlotState> loadAll() {
        return reads.loadAll();
    }

    @Override
    public List<SlotState> page(String principal, String afterId, int limit) {
        return reads.page(principal, afterId, limit);
    }

    @Override
    public Optional<Reply> findReply(String requestId) {
        return reads.findReply(requestId);
    }

    @Override
    public List<HistoryEntry> history(String slotId, int limit) {
        return reads.history(slotId, limit);
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

    @Override
    public boolean commit(SlotWrite write) {
        return commits.commit(write);
    }

    /**
     * Entries of the global outbox log after {@code afterSeq}. First it finishes commits whose events
     * may not have reached the log (pending markers: this process's at once, other processes' once
     * older than the sweep grace), so a crash between commit and publish only delays an event.
     */
    @Override
    public List<OutboxEntry> outboxAfter(long afterSeq, int limit) {
        return outbox.outboxAfter(afterSeq, limit);
    }

    @Override
    public long cursor(String subscriber) {
        return outbox.cursor(subscriber);
    }

    /** Saves the cursor; with TTL on, the log documents it passed are given a ttl (see {@link OutboxLog#delivered}). */
    @Override
    public void saveCursor(String subscriber, long seq) {
        outbox.saveCursor(subscriber, seq);
    }


    /**
     * Deletes replies recorded before {@code before} (listing the pointer partitions, not the slots)
     * and the outbox entries every subscriber delivered (with no subscribers: those recorded before
     * {@code before}). History and slots stay. Only for a container without TTL (the test server):
     * with TTL those documents carry a {@code ttl} and Cosmos DB deletes them, so this reads nothing.
     */
    @Override
    public int prune(Instant before, List<String> subscribers) {
        return outbox.prune(before, subscribers);
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    private static <T> T await(String what, Mono<T> mono) {
        return DocumentClient.await(what, mono);
    }
}
