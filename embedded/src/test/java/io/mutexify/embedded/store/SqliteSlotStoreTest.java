package io.mutexify.embedded.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mutexify.model.port.SlotStore;
import io.mutexify.model.port.SlotStoreContract;
import io.mutexify.model.port.SlotWrite;
import io.mutexify.model.slot.SlotState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on SQLite, plus what only a file-backed, group-committing store must show. */
class SqliteSlotStoreTest extends SlotStoreContract {
    @TempDir
    Path dataDir;

    @Override
    protected SlotStore newStore() {
        return SqliteSlotStore.open(dataDir);
    }

    @Test
    void createsTheDataDirectoryAndOneDatabaseFileInWalModeWithFullSync() throws Exception {
        Path nested = dataDir.resolve("not/yet/there");
        try (SqliteSlotStore s = SqliteSlotStore.open(nested)) {
            assertThat(s.file()).isEqualTo(nested.resolve("mutexify.db"));
            assertThat(s.file()).exists();
            try (Connection c = SqliteConnections.openWriter(s.file()); Statement st = c.createStatement()) {
                assertThat(SqliteConnections.queryString(st, "PRAGMA journal_mode")).isEqualTo("wal");
                // A connection opened afresh is at FULL; the store's writer switches to NORMAL and syncs
                // the WAL itself before any caller is told (GroupCommitter).
                assertThat(SqliteConnections.queryString(st, "PRAGMA synchronous")).isEqualTo("2"); // FULL
                assertThat(SqliteConnections.queryString(st, "PRAGMA busy_timeout"))
                        .isEqualTo(String.valueOf(SqliteConnections.BUSY_TIMEOUT_MILLIS));
                assertThat(SqliteConnections.queryString(st, "PRAGMA user_version"))
                        .isEqualTo(String.valueOf(SqliteSchema.CURRENT_VERSION));
            }
        }
    }

    @Test
    void dataSurvivesCloseAndReopen() {
        SlotState s = registered("persistent").withFence(3).withHold(hold(3, T0));
        store.commit(new SlotWrite("persistent", 0, s, List.of(okReply("req-p", "persistent")),
                List.of(event("ev-p", "persistent", T0)), List.of(historyEntry("persistent", 2, T0)), T0));
        store.saveCursor("webhooks", 1);
        store.close();

        store = SqliteSlotStore.open(dataDir);

        assertThat(store.load("persistent")).isEqualTo(s.withVersion(1));
        assertThat(store.findReply("req-p")).contains(okReply("req-p", "persistent"));
        assertThat(store.outboxAfter(0, 10)).extracting(e -> e.event().id()).containsExactly("ev-p");
        assertThat(store.history("persistent", 10)).containsExactly(historyEntry("persistent", 2, T0));
        assertThat(store.cursor("webhooks")).isEqualTo(1);
        assertThat(store.commit(stateWrite(1, s.withFence(4)))).isTrue();
    }

    @Test
    void closeFinishesQueuedWritesAndRefusesNewOnes() {
        store.commit(stateWrite(0, registered("s")));
        store.close();

        assertThatThrownBy(() -> store.commit(stateWrite(1, registered("s")))).isInstanceOf(IllegalStateException.class);
        assertThat(store.isReachable()).isFalse();
        store.close(); // idempotent

        store = SqliteSlotStore.open(dataDir);
        assertThat(store.load("s").version()).isEqualTo(1);
    }

    @Test
    @Timeout(120)
    void manyConcurrentCommittersOnDifferentSlotsAllSucceedAndAreAllVisible() throws Exception {
        int threads = 16;
        int commitsEach = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String slot = "slot-" + t;
                results.add(pool.submit(() -> {
                    start.await();
                    int ok = 0;
                    for (int i = 0; i < commitsEach; i++) {
                        // One writer per slot, as in the Lockkeeper: every expected version is right.
                        SlotState next = registered(slot).withFence(i + 1);
                        String rid = slot + "-req-" + i;
                        if (store.commit(new SlotWrite(slot, i, next, List.of(okReply(rid, slot)),
                                List.of(event(rid, slot, T0)), List.of(), T0))) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            start.countDown();
            for (Future<Integer> f : results) {
                assertThat(f.get(100, TimeUnit.SECONDS)).isEqualTo(commitsEach);
            }
        } finally {
            pool.shutdownNow();
        }

        for (int t = 0; t < threads; t++) {
            SlotState s = store.load("slot-" + t);
            assertThat(s.version()).isEqualTo(commitsEach);
            assertThat(s.fence()).isEqualTo(commitsEach);
            for (int i = 0; i < commitsEach; i++) {
                assertThat(store.findReply("slot-" + t + "-req-" + i)).isPresent();
            }
        }
        assertThat(store.loadAll()).hasSize(threads);
        assertThat(store.outboxAfter(0, Integer.MAX_VALUE)).hasSize(threads * commitsEach);
        SqliteSlotStore sqlite = (SqliteSlotStore) store;
        assertThat(sqlite.committedWrites()).isGreaterThanOrEqualTo((long) threads * commitsEach);
        assertThat(sqlite.committedBatches()).isPositive().isLessThanOrEqualTo(sqlite.committedWrites());
    }

    @Test
    void refusesADatabaseFromANewerSchema() throws Exception {
        store.close();
        try (Connection c = SqliteConnections.openWriter(dataDir.resolve(SqliteSlotStore.FILE_NAME));
             Statement st = c.createStatement()) {
            st.execute("PRAGMA user_version = " + (SqliteSchema.CURRENT_VERSION + 1));
        }

        assertThatThrownBy(() -> SqliteSlotStore.open(dataDir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("newer");
        store = null;
    }

    @Test
    void readsDoNotWaitForTheWriter() throws Exception {
        store.commit(stateWrite(0, registered("s")));
        // Hold the database's write lock from outside, as a long batch would: reads must still answer.
        try (Connection other = SqliteConnections.openWriter(dataDir.resolve(SqliteSlotStore.FILE_NAME));
             Statement st = other.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            try {
                assertThat(store.load("s").version()).isEqualTo(1);
                assertThat(store.isReachable()).isTrue();
            } finally {
                st.execute("ROLLBACK");
            }
        }
    }

    @Test
    void readConnectionsRefuseWrites() throws SQLException {
        try (Connection reader = SqliteConnections.openReader(dataDir.resolve(SqliteSlotStore.FILE_NAME));
             Statement st = reader.createStatement()) {
            assertThatThrownBy(() -> st.execute("DELETE FROM slots")).isInstanceOf(SQLException.class);
        }
    }
}
