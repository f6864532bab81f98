package io.mutexify.embedded.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.SlotWrite;
import io.mutexify.model.slot.SlotState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One batch, one transaction: what a failing or conflicting write may and may not do to the others. */
class GroupCommitterTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    /** The writer's durability setting: 2 is FULL (COMMIT waits for the fsync), 1 is NORMAL (it does not). */
    private static final GroupCommitter.Op<String> SYNC_MODE = c -> {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA synchronous")) {
            return rs.next() ? rs.getString(1) : "";
        }
    };

    @TempDir
    Path dir;

    private Connection writer;
    private GroupCommitter committer;
    private SlotWriteApplier applier;

    @BeforeEach
    void open() throws SQLException {
        writer = SqliteConnections.openWriter(dir.resolve("test.db"));
        SqliteSchema.migrate(writer);
        // Not started yet: everything queued before start() lands in the first batch.
        committer = new GroupCommitter(writer, dir.resolve("test.db-wal"), "test-writer");
        applier = new SlotWriteApplier(writer);
    }

    @AfterEach
    void close() throws SQLException {
        committer.close();
        writer.close();
    }

    @Test
    void aConflictingWriteInABatchDoesNotStopTheOthers() throws Exception {
        CompletableFuture<Boolean> first = submit(write("a", 0));
        CompletableFuture<Boolean> sameVersionAgain = submit(write("a", 0));
        CompletableFuture<Boolean> next = submit(write("a", 1));
        CompletableFuture<Boolean> other = submit(write("b", 0));

        committer.start();

        assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sameVersionAgain.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(next.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(other.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(committer.batchCount()).isEqualTo(1);
        assertThat(committer.opCount()).isEqualTo(4);
        assertThat(count("SELECT version FROM slots WHERE id = 'a'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM replies")).isEqualTo(3);
    }

    @Test
    void aWriteThatThrowsIsUndoneAloneAndTheRestOfTheBatchCommits() throws Exception {
        CompletableFuture<Boolean> before = submit(write("a", 0));
        CompletableFuture<Object> failing = committer.submit(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO cursors (subscriber, seq) VALUES ('half-done', 1)");
                st.execute("INSERT INTO no_such_table VALUES (1)");
            }
            return null;
        });
        CompletableFuture<Boolean> after = submit(write("b", 0));

        committer.start();

        assertThat(before.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(after.get(10, TimeUnit.SECONDS)).isTrue();
        // A failed write surfaces as the store being unavailable, waited for or not.
        assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(StoreException.class)
                .hasRootCauseInstanceOf(SQLException.class);
        assertThat(count("SELECT count(*) FROM cursors")).isZero();
        assertThat(count("SELECT count(*) FROM slots")).isEqualTo(2);
        assertThat(committer.batchCount()).isEqualTo(1);
    }

    @Test
    void theWriterCompletesEveryWriteOfABatchItselfInBatchOrder() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Boolean>> writes = new ArrayList<>();
        for (String slot : List.of("a", "b", "c")) {
            writes.add(submitAsync(write(slot, 0), false).whenComplete((ok, e) -> {
                order.add(slot);
                threads.add(Thread.currentThread().getName());
            }));
        }
        CompletableFuture<String> waited = committer.submit(c -> Thread.currentThread().getName())
                .thenApply(writerThread -> writerThread + "|" + Thread.currentThread().getName());

        committer.start();

        for (CompletableFuture<Boolean> w : writes) {
            assertThat(w.get(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(order).containsExactly("a", "b", "c");
        assertThat(threads).containsOnly("test-writer");
        assertThat(waited.get(10, TimeUnit.SECONDS)).isEqualTo("test-writer|test-writer");
        assertThat(committer.batchCount()).isEqualTo(1);
    }

    @Test
    void aCompletionThatWaitsForAWriteOfItsOwnGetsItInsteadOfWaitingOnItself() throws Exception {
        // What a completion might do: a blocking write, on the writer thread, between two transactions.
        // Chained before start(), so the completion surely runs on the writer.
        List<String> ranOn = new CopyOnWriteArrayList<>();
        CompletableFuture<Boolean> nested = submitAsync(write("a", 0), false).thenApply(ok -> {
            ranOn.add(Thread.currentThread().getName());
            return committer.execute(c -> applier.apply(SlotWriteApplier.encode(write("b", 0))));
        });

        committer.start();

        assertThat(nested.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn).containsExactly("test-writer");
        assertThat(count("SELECT count(*) FROM slots WHERE id IN ('a', 'b')")).isEqualTo(2);
        assertThat(committer.syncCount()).as("each told only once durable").isEqualTo(2);
        assertThat(submitAsync(write("c", 0), false).get(10, TimeUnit.SECONDS)).as("the writer goes on").isTrue();
    }

    @Test
    void aCallerIsToldOnlyAfterASyncOfTheWalThatBeganAfterItsCommit() throws Exception {
        committer.start();
        long syncsBefore = committer.syncCount();

        long syncsWhenTold = submitAsync(write("a", 0), false)
                .thenApply(ok -> committer.syncCount()).get(10, TimeUnit.SECONDS);
        long syncsWhenToldBlocking = submit(write("b", 0))
                .thenApply(ok -> committer.syncCount()).get(10, TimeUnit.SECONDS);

        assertThat(syncsWhenTold).isEqualTo(syncsBefore + 1);
        assertThat(syncsWhenToldBlocking).isEqualTo(syncsBefore + 2);
        // COMMIT itself does not wait for the disk: the committer's own sync does.
        assertThat(committer.execute(SYNC_MODE)).isEqualTo("1");
    }

    @Test
    void aBatchOfWritesThatAcknowledgeNothingIsToldWithoutASyncAndTheNextWriteSyncsIt() throws Exception {
        committer.start();
        long syncsBefore = committer.syncCount();

        assertThat(submitAsync(write("a", 0), true).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(committer.syncCount()).isEqualTo(syncsBefore);
        assertThat(submitAsync(write("b", 0), false).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(committer.syncCount()).isEqualTo(syncsBefore + 1);
    }

    @Test
    void oneWriteThatAcknowledgesSomethingMakesItsWholeBatchWaitForTheSync() throws Exception {
        CompletableFuture<Long> joining = submitAsync(write("a", 0), true).thenApply(ok -> committer.syncCount());
        CompletableFuture<Long> granting = submitAsync(write("b", 0), false).thenApply(ok -> committer.syncCount());

        committer.start();

        assertThat(joining.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(granting.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(committer.batchCount()).isEqualTo(1);
    }

    @Test
    void anInterruptLeftOnTheWriterByACompletionDoesNotEndTheStore() throws Exception {
        CompletableFuture<Boolean> first = submitAsync(write("a", 0), false)
                .whenComplete((ok, e) -> Thread.currentThread().interrupt());

        committer.start();

        assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(submitAsync(write("b", 0), false).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(committer.isRunning()).isTrue();
    }

    @Test
    void executeSurfacesSqlFailuresAsStoreExceptions() {
        committer.start();

        assertThatThrownBy(() -> committer.execute(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO no_such_table VALUES (1)");
            }
            return null;
        })).isInstanceOf(StoreException.class).hasCauseInstanceOf(SQLException.class);
        // The writer is still fine afterwards.
        boolean committed = committer.execute(c -> applier.apply(SlotWriteApplier.encode(write("a", 0))));
        assertThat(committed).isTrue();
    }

    @Test
    void closeFinishesWhatIsQueuedThenRefusesMore() throws Exception {
        committer.start();
        List<CompletableFuture<Boolean>> queued = List.of(submit(write("a", 0)), submit(write("b", 0)),
                submit(write("c", 0)));

        committer.close();

        for (CompletableFuture<Boolean> f : queued) {
            assertThat(f.getNow(null)).isTrue();
        }
        assertThat(committer.isRunning()).isFalse();
        assertThatThrownBy(() -> submit(write("d", 0))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeBeforeStartFailsWhatWasQueuedInsteadOfHanging() {
        CompletableFuture<Boolean> queued = submit(write("a", 0));

        committer.close();

        assertThat(queued).isCompletedExceptionally();
    }

    /**
     * A full disk, for real: SQLite's own page limit makes it fail writes with SQLITE_FULL, the
     * error a full filesystem gives, through the same pager and transaction code.
     */
    @Test
    void aFullDatabaseAcknowledgesNothingItDidNotCommitAndRecoversWhenSpaceReturns() throws Exception {
        try (Statement st = writer.createStatement(); ResultSet rs = st.executeQuery("PRAGMA page_count")) {
            long pages = rs.next() ? rs.getLong(1) : 0;
            st.execute("PRAGMA max_page_count = " + (pages + 2));
        }
        committer.start();
        boolean small = committer.execute(c -> applier.apply(SlotWriteApplier.encode(write("small", 0))));
        assertThat(small).isTrue();

        // Too big for the space left, queued together with a small write in one batch.
        CompletableFuture<Boolean> big = submit(bigWrite("big"));
        CompletableFuture<Boolean> beside = submit(write("beside", 0));

        assertThatThrownBy(() -> big.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(rootCauseOf(big)).contains("SQLITE_FULL");
        assertThat(count("SELECT count(*) FROM slots WHERE id = 'big'")).as("nothing half-written").isZero();
        assertThat(count("SELECT count(*) FROM replies WHERE slot_id = 'big'")).isZero();
        boolean besideAcknowledged = !beside.handle((ok, e) -> e != null).get(10, TimeUnit.SECONDS);
        assertThat(count("SELECT count(*) FROM slots WHERE id = 'beside'"))
                .as("acknowledged exactly when committed").isEqualTo(besideAcknowledged ? 1 : 0);
        assertThat(count("SELECT count(*) FROM slots WHERE id = 'small'")).as("acknowledged before: kept").isEqualTo(1);

        committer.execute(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA max_page_count = 1000000");
            }
            return null;
        });

        boolean bigAfterwards = committer.execute(c -> applier.apply(SlotWriteApplier.encode(bigWrite("big"))));
        assertThat(bigAfterwards).isTrue();
        assertThat(count("SELECT count(*) FROM slots WHERE id = 'big'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM slots WHERE id = 'small'")).isEqualTo(1);
    }

    private static String rootCauseOf(CompletableFuture<?> failed) {
        Throwable t = failed.handle((ok, e) -> e).join();
        while (t != null && t.getCause() != null) {
            t = t.getCause();
        }
        return t == null ? "" : String.valueOf(t.getMessage());
    }

    /** A write whose reply needs many overflow pages. */
    private static SlotWrite bigWrite(String slot) {
        return new SlotWrite(slot, 0, SlotState.empty(slot).withFence(1),
                List.of(Reply.error("req-" + slot, slot, 409, "locked", "x".repeat(64 * 1024))), List.of(), List.of(), T0);
    }

    private CompletableFuture<Boolean> submit(SlotWrite write) {
        SlotWriteApplier.Encoded encoded = SlotWriteApplier.encode(write);
        return committer.submit(c -> applier.apply(encoded));
    }

    private CompletableFuture<Boolean> submitAsync(SlotWrite write, boolean acknowledgesNothing) {
        SlotWriteApplier.Encoded encoded = SlotWriteApplier.encode(write);
        return committer.submitAsync(c -> applier.apply(encoded), acknowledgesNothing);
    }

    private static SlotWrite write(String slot, long expectedVersion) {
        SlotState state = SlotState.empty(slot).withFence(expectedVersion + 1);
        return new SlotWrite(slot, expectedVersion, state,
                List.of(Reply.noContent("req-" + slot + "-" + expectedVersion, slot)),
                List.of(), List.of(), T0);
    }

    private long count(String sql) throws SQLException {
        try (Connection reader = SqliteConnections.openReader(dir.resolve("test.db"));
             Statement st = reader.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }
}
