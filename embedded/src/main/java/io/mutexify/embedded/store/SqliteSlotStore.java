package io.mutexify.embedded.store;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.json.Json;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.OutboxEntry;
import io.mutexify.model.port.SlotStore;
import io.mutexify.model.port.SlotWrite;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.SlotState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's {@link SlotStore}: one SQLite file in WAL mode, every write through one
 * group-committing writer thread, reads on a pool of their own connections.
 */
public final class SqliteSlotStore implements SlotStore {
    /** The database file's name inside the data directory. */
    public static final String FILE_NAME = "mutexify.db";
    private static final Logger LOG = LoggerFactory.getLogger(SqliteSlotStore.class);
    private static final int DEFAULT_READERS = 8;
    /** Often enough that the WAL stays a few hundred pages at full load, rare enough to cost nothing idle. */
    private static final long CHECKPOINT_INTERVAL_MILLIS = 50;
    /** Slot states kept in memory for reads; above this the least used are read from the file again. */
    private static final int CACHED_SLOTS = 50_000;

    private final Path file;
    private final Connection writer;
    private final GroupCommitter committer;
    private final SlotWriteApplier applier;
    private final ReadPool readers;
    private final SlotQueries queries;
    private final Checkpointer checkpointer;
    private final SqliteApiKeyStore apiKeys;
    /**
     * The committed state of recently used slots, so a read costs no SQL and no JSON. Written after
     * each commit, before its caller hears of it, and by reads; the higher version always wins, so
     * a read that raced a commit can never put an older state back.
     */
    private final Map<String, SlotState> committedStates = Caffeine.newBuilder().maximumSize(CACHED_SLOTS)
            .executor(Runnable::run).<String, SlotState>build().asMap();

    private SqliteSlotStore(Path file, Connection writer, GroupCommitter committer, SlotWriteApplier applier,
                            ReadPool readers, Checkpointer checkpointer) {
        this.file = file;
        this.writer = writer;
        this.committer = committer;
        this.applier = applier;
        this.readers = readers;
        this.queries = new SlotQueries(readers);
        this.checkpointer = checkpointer;
        this.apiKeys = new SqliteApiKeyStore(committer, readers);
    }

    /** Opens (creating if needed) {@code <dataDir>/mutexify.db}, migrating its schema to the current version. */
    public static SqliteSlotStore open(Path dataDir) {
        return open(dataDir, DEFAULT_READERS);
    }

    /** As {@link #open(Path)}, with at most {@code readConnections} concurrent reads. */
    public static SqliteSlotStore open(Path dataDir, int readConnections) {
        Objects.requireNonNull(dataDir, "dataDir");
        if (readConnections < 1) {
            throw new IllegalArgumentException("readConnections must be at least 1");
        }
        PrivateFiles.folder(dataDir);
        Path file = dataDir.resolve(FILE_NAME);
        PrivateFiles.file(file, "-wal", "-shm", "-journal");
        Connection writer = null;
        try {
            writer = SqliteConnections.openWriter(file);
            int found = SqliteSchema.migrate(writer);
            GroupCommitter committer = new GroupCommitter(writer, Path.of(file + "-wal"), "mutexify-store-writer");
            SlotWriteApplier applier = new SlotWriteApplier(writer);
            Checkpointer checkpointer = new Checkpointer(file, committer::batchCount, CHECKPOINT_INTERVAL_MILLIS,
                    "mutexify-store-checkpoint");
            committer.start();
            checkpointer.start();
            LOG.info("slot store {} opened (schema {} -> {})", file, found, SqliteSchema.CURRENT_VERSION);
            return new SqliteSlotStore(file, writer, committer, applier, new ReadPool(file, readConnections),
                    checkpointer);
        } catch (SQLException e) {
            if (writer != null) {
                SqliteConnections.closeQuietly(writer, e);
            }
            throw new StoreException("cannot open slot store " + file + ": " + e.getMessage(), e);
        }
    }

    /** The API keys, kept in the same file and written by the same single writer. */
    public SqliteApiKeyStore apiKeys() {
        return apiKeys;
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** How many transactions the writer has committed; with {@link #committedWrites()} it shows how well writes batch. */
    public long committedBatches() {
        return committer.batchCount();
    }

    /** How many syncs of the WAL made those transactions durable (one serves every commit before it). */
    public long walSyncs() {
        return committer.syncCount();
    }

    /** How many writes (commits, cursor saves, prunes) those transactions carried. */
    public long committedWrites() {
        return committer.opCount();
    }

    @Override
    public boolean commit(SlotWrite write) {
        return GroupCommitter.await(commit(write, false));
    }

    /** Completes on the writer thread once durable, after the states this store keeps were updated. */
    @Override
    public CompletableFuture<Boolean> commitAsync(SlotWrite write) {
        return commit(write, true);
    }

    @Override
    public boolean commitsWithoutBlocking() {
        return true;
    }

    private CompletableFuture<Boolean> commit(SlotWrite write, boolean async) {
        // Encoding first, on this thread: bad input fails here, before it can touch the batch.
        SlotWriteApplier.Encoded encoded = SlotWriteApplier.encode(write);
        GroupCommitter.Op<Boolean> op = c -> applier.apply(encoded);
        CompletableFuture<Boolean> written = async
                ? committer.submitAsync(op, write.acknowledgesNothing()) : committer.submit(op);
        return written.whenComplete((ok, unknownOutcome) -> {
            if (unknownOutcome == null && ok && write.newState() != null) {
                remember(write.newState().withVersion(write.expectedVersion() + 1));
            } else if (unknownOutcome != null || !ok) {
                // Failed, or someone else wrote the slot (another process on the file): what we keep may be old.
                committedStates.remove(write.slotId());
            }
        });
    }

    /**
     * A bulk load: commits {@code writes} in one transaction, each applied as {@link #commit} would;
     * returns how many were applied (a write whose version moved is skipped). For seeding a store
     * with many slots before a server starts; one fsync for all of them instead of one per write.
     */
    public int importAll(List<SlotWrite> writes) {
        List<SlotWriteApplier.Encoded> encoded = writes.stream().map(SlotWriteApplier::encode).toList();
        return committer.execute(c -> {
            int applied = 0;
            for (SlotWriteApplier.Encoded w : encoded) {
                applied += applier.apply(w) ? 1 : 0;
            }
            return applied;
        });
    }

    @Override
    public SlotState load(String slotId) {
        Objects.requireNonNull(slotId, "slotId");
        SlotState known = committedStates.get(slotId);
        if (known != null) {
            return known;
        }
        SlotState read = readers.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT version, state_json FROM slots WHERE id = ?")) {
                ps.setString(1, slotId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? SlotQueries.state(rs) : SlotState.empty(slotId);
                }
            }
        });
        // A slot never written is not kept: reads of made-up names must not crowd out real slots.
        if (read.version() > 0) {
            remember(read);
        }
        return read;
    }

    private void remember(SlotState state) {
        committedStates.merge(state.id(), state, (old, now) -> now.version() >= old.version() ? now : old);
    }

    @Override
    public List<SlotState> loadAll() {
        return queries.all();
    }

    @Override
    public List<SlotState> page(String principal, String afterId, int limit) {
        return queries.page(principal, afterId, limit);
    }

    @Override
    public long countOwned(String principal, long upTo) {
        return queries.countOwned(principal, upTo);
    }

    @Override
    public List<SlotState> heldBy(String principal) {
        return queries.heldBy(principal);
    }

    @Override
    public Optional<Reply> findReply(String requestId) {
        Objects.requireNonNull(requestId, "requestId");
        return readers.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT reply_json FROM replies WHERE request_id = ?")) {
                ps.setString(1, requestId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Json.read(rs.getString(1), Reply.class)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<HistoryEntry> history(String slotId, int limit) {
        Objects.requireNonNull(slotId, "slotId");
        if (limit <= 0) {
            return List.of();
        }
        return readers.read(c -> {
            List<HistoryEntry> entries = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT entry_json FROM history WHERE slot_id = ? ORDER BY id DESC LIMIT ?")) {
                ps.setString(1, slotId);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        entries.add(Json.read(rs.getString(1), HistoryEntry.class));
                    }
                }
            }
            return entries;
        });
    }

    @Override
    public List<OutboxEntry> outboxAfter(long afterSeq, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return readers.read(c -> {
            List<OutboxEntry> entries = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, event_json FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?")) {
                ps.setLong(1, afterSeq);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        entries.add(new OutboxEntry(rs.getLong(1), Json.read(rs.getString(2), LockEvent.class)));
                    }
                }
            }
            return entries;
        });
    }

    @Override
    public long cursor(String subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        return readers.read(c -> cursor(c, subscriber));
    }

    private static long cursor(Connection c, String subscriber) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM cursors WHERE subscriber = ?")) {
            ps.setString(1, subscriber);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    @Override
    public void saveCursor(String subscriber, long seq) {
        Objects.requireNonNull(subscriber, "subscriber");
        // Through the committer like every write: one writer connection means no SQLITE_BUSY between our own writes.
        committer.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO cursors (subscriber, seq) VALUES (?, ?)
                    ON CONFLICT (subscriber) DO UPDATE SET seq = excluded.seq""")) {
                ps.setString(1, subscriber);
                ps.setLong(2, seq);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Deletes replies recorded before {@code before} and the outbox rows every listed subscriber has
     * delivered (a subscriber without a cursor has delivered nothing). With no subscribers nobody
     * tracks delivery, so outbox rows recorded before {@code before} go too.
     */
    @Override
    public int prune(Instant before, List<String> subscribers) {
        Objects.requireNonNull(before, "before");
        List<String> subs = List.copyOf(subscribers);
        long beforeMillis = before.toEpochMilli();
        return committer.execute(c -> {
            int removed;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM replies WHERE created_at < ?")) {
                ps.setLong(1, beforeMillis);
                removed = ps.executeUpdate();
            }
            if (subs.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM outbox WHERE created_at < ?")) {
                    ps.setLong(1, beforeMillis);
                    removed += ps.executeUpdate();
                }
            } else {
                long delivered = Long.MAX_VALUE;
                for (String s : subs) {
                    delivered = Math.min(delivered, cursor(c, s));
                }
                if (delivered > 0) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM outbox WHERE seq <= ?")) {
                        ps.setLong(1, delivered);
                        removed += ps.executeUpdate();
                    }
                }
            }
            return removed;
        });
    }

    @Override
    public boolean isReachable() {
        if (!committer.isRunning()) {
            return false;
        }
        try {
            return readers.read(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
                    return rs.next();
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("slot store {} not reachable", file, e);
            return false;
        }
    }

    /** Finishes every write already queued, then closes all connections. */
    @Override
    public void close() {
        committer.close();
        checkpointer.close();
        readers.close();
        try {
            writer.close();
        } catch (SQLException e) {
            LOG.warn("closing the writer connection of {} failed", file, e);
        }
    }
}
