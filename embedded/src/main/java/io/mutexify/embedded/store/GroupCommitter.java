package io.mutexify.embedded.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of the database: one thread drains every pending write, applies them all in
 * one transaction and commits once, so a whole batch costs one fsync instead of one each.
 *
 * <p>A batch runs as one plain transaction; if one of its writes throws, the batch is rolled back
 * and run again with each write inside its own SAVEPOINT, so the write that throws is undone alone
 * and the rest of the batch still commits. A caller's future completes only after its batch is
 * durable, never before.
 *
 * <p>Durability is this class's own step: the writer connection commits with {@code synchronous=NORMAL}
 * (into the WAL's pages in the OS, no fsync), and the batch's callers are told only after an
 * {@code fdatasync} of the WAL file that began after that COMMIT returned.
 *
 * <p>The writer thread itself then completes the batch's futures, in order, so what follows a commit
 * (answers, the next batch of a slot) runs with no further hand-off between threads: on two cores a
 * wake-up of another thread costs more than the overlap of a sync with the next transaction gains
 * (docs/performance.md). Writes queued meanwhile make the next batch. What runs in a completion must
 * not block for long, since every later commit waits behind it; a blocking {@link #submit} from
 * there is run at once, as a batch of its own, rather than waiting on the thread that would run it.
 *
 * <p>A batch made only of writes that {@linkplain #submitAsync acknowledge nothing}
 * is completed without a sync of its own; the next sync, for a batch that does acknowledge
 * something, takes its frames too.
 */
final class GroupCommitter implements AutoCloseable {
    /** One unit of work, run on the writer connection inside the batch's transaction. */
    @FunctionalInterface
    public interface Op<T> {
        T apply(Connection writer) throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
    /** Bounds one transaction, so a burst cannot make one commit (and its callers' wait) unbounded. */
    private static final int MAX_BATCH = 1024;
    /** Put last in the queue by close(): everything before it is still written. */
    private static final Pending<Void> POISON = new Pending<>(c -> null, false);

    private final Connection writer;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Object admission = new Object();
    private final Thread thread;
    private final ReusableStatement begin;
    private final ReusableStatement commit;
    private final ReusableStatement rollback;
    private final ReusableStatement savepoint;
    private final ReusableStatement release;
    private final ReusableStatement rollbackTo;
    /** The WAL file, which this class syncs (see above). */
    private final FileChannel wal;
    /** Transactions committed so far; a sync that begins after commit n makes 1..n durable. Writer only. */
    private long commits;
    /** The last commit known durable. Writer only. */
    private long durableThrough;
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong ops = new AtomicLong();
    private boolean accepting = true; // guarded by admission
    private volatile Throwable died;

    /**
     * Takes over {@code writer}, which must be in autocommit mode and in WAL mode on the database
     * whose WAL is {@code walFile}: transactions are begun and ended here with explicit statements,
     * and its synchronous setting becomes NORMAL, this class syncing {@code walFile} itself. The
     * thread starts with {@link #start()}, so tests can queue several writes first and have them
     * land in a single batch.
     */
    public GroupCommitter(Connection writer, Path walFile, String threadName) throws SQLException {
        this.writer = writer;
        try {
            // Opened (created, if SQLite has not yet) by us too: an empty WAL is a valid one to SQLite.
            this.wal = FileChannel.open(walFile, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE);
        } catch (IOException e) {
            throw new SQLException("cannot open the WAL file " + walFile + " to sync it: " + e.getMessage(), e);
        }
        try (Statement st = writer.createStatement()) {
            st.execute("PRAGMA synchronous = NORMAL");
        }
        // IMMEDIATE takes the write lock at BEGIN: the version checks inside then cannot be raced
        // by another process that opened the same file.
        this.begin = new ReusableStatement(writer, "BEGIN IMMEDIATE");
        this.commit = new ReusableStatement(writer, "COMMIT");
        this.rollback = new ReusableStatement(writer, "ROLLBACK");
        this.savepoint = new ReusableStatement(writer, "SAVEPOINT op");
        this.release = new ReusableStatement(writer, "RELEASE op");
        this.rollbackTo = new ReusableStatement(writer, "ROLLBACK TO op");
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /**
     * Queues {@code op} for a caller that will block on it; the future completes once the batch
     * holding it is durable (or failed). Called from a completion, on the writer thread, the write
     * runs at once as a batch of its own (the writer is between transactions there), so that caller
     * does not wait on itself.
     */
    public <T> CompletableFuture<T> submit(Op<T> op) {
        Pending<T> pending = new Pending<>(op, false);
        if (Thread.currentThread() == thread) {
            synchronized (admission) {
                ensureAccepting();
            }
            runBatch(List.of(pending));
            return pending.future;
        }
        return queue(pending);
    }

    /**
     * Queues {@code op}; the future completes once the batch holding it is durable (or failed), on
     * the writer thread, after the futures of earlier batches. What depends on it must not block for
     * long: every later commit waits behind it. {@code acknowledgesNothing}: nobody is told of this
     * write, so it needs no sync of its own (see above).
     */
    public <T> CompletableFuture<T> submitAsync(Op<T> op, boolean acknowledgesNothing) {
        return queue(new Pending<>(op, acknowledgesNothing));
    }

    private <T> CompletableFuture<T> queue(Pending<T> pending) {
        synchronized (admission) {
            ensureAccepting();
            queue.add(pending);
        }
        return pending.future;
    }

    /** Refuses a write once the store is closed or its writer died; the caller holds {@code admission}. */
    private void ensureAccepting() {
        if (!accepting) {
            throw new IllegalStateException("store is closed", died);
        }
    }

    /** Queues {@code op} and waits until it is durable; SQL failures surface as {@link StoreException}. */
    public <T> T execute(Op<T> op) {
        return await(submit(op));
    }

    /** Waits for a write's future; SQL failures surface as {@link StoreException}. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the commit; the write may still commit", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new StoreException("write failed: " + cause.getMessage(), cause);
        }
    }

    /** Whether the writer thread is alive and taking writes. */
    public boolean isRunning() {
        synchronized (admission) {
            return accepting && died == null && thread.isAlive();
        }
    }

    /** How many transactions were committed, for metrics and for measuring the batching. */
    public long batchCount() {
        return batches.get();
    }

    /** How many writes went through those transactions. */
    public long opCount() {
        return ops.get();
    }

    /** Stops taking writes, lets the thread finish every write already queued and its completions, then returns. */
    @Override
    public void close() {
        synchronized (admission) {
            if (!accepting) {
                return;
            }
            accepting = false;
            queue.add(POISON);
        }
        if (!thread.isAlive() && died == null) {
            // Never started: fail what was queued rather than leave callers waiting forever.
            failAll(drain(), new StoreException("store closed before the writer started"));
        } else {
            Threads.joinUninterruptibly(thread);
        }
        try {
            wal.close();
        } catch (IOException e) {
            LOG.warn("closing the WAL file failed: {}", e.toString());
        }
    }

    private void run() {
        List<Pending<?>> batch = new ArrayList<>();
        try {
            boolean stop = false;
            while (!stop) {
                // Completions run on this thread, and one may restore an interrupt it caught (a
                // handler's cause); nobody stops the writer by interrupting it (close() queues POISON),
                // and a take() or a sync of the WAL with the flag set would end the store.
                if (Thread.interrupted()) {
                    LOG.warn("an interrupt left on the store writer by a completion was cleared");
                }
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH - 1);
                // Nothing is queued after POISON, so it can only be the last element.
                if (batch.get(batch.size() - 1) == POISON) {
                    batch.remove(batch.size() - 1);
                    stop = true;
                }
                if (!batch.isEmpty()) {
                    runBatch(batch);
                }
                batch.clear();
            }
        } catch (Throwable t) {
            // An Error or an interrupt: no more writes can be trusted to this thread.
            LOG.error("store writer thread died", t);
            synchronized (admission) {
                died = t;
                accepting = false;
            }
            StoreException failure = new StoreException("store writer died: " + t, t);
            failAll(batch, failure);
            failAll(drain(), failure);
        }
    }

    private void runBatch(List<Pending<?>> batch) {
        int n = batch.size();
        Object[] results = new Object[n];
        Throwable[] errors = new Throwable[n];
        try {
            begin.execute();
        } catch (SQLException e) {
            // A transaction an earlier failure left open would refuse every later batch: end it (its
            // writes were never acknowledged) and try once more.
            try {
                rollback.execute();
                begin.execute();
            } catch (SQLException again) {
                e.addSuppressed(again);
                failAll(batch, e);
                return;
            }
        }
        switch (runPlain(batch, results)) {
            case COMMITTED -> {
                finishCommitted(batch, results, errors, true);
                return;
            }
            case FAILED -> {
                return;
            }
            case RUN_CAREFULLY -> {
                // on below, write by write
            }
        }
        boolean transactionAlive = true;
        for (int i = 0; i < n; i++) {
            if (!transactionAlive) {
                errors[i] = new StoreException("transaction aborted by an earlier write in the batch");
                continue;
            }
            try {
                savepoint.execute();
                results[i] = batch.get(i).op.apply(writer);
                release.execute();
            } catch (Exception e) {
                errors[i] = e;
                try {
                    rollbackTo.execute();
                    release.execute();
                } catch (SQLException undoFailure) {
                    // SQLite rolls the whole transaction back by itself on some errors (disk full,
                    // I/O error): then the savepoint is gone, and so is every earlier write of the batch.
                    LOG.error("batch transaction lost after a failed write", undoFailure);
                    transactionAlive = false;
                    for (int j = 0; j < i; j++) {
                        if (errors[j] == null) {
                            errors[j] = new StoreException("transaction aborted by a later write in the batch", e);
                        }
                    }
                }
            }
        }
        if (transactionAlive) {
            try {
                commit.execute();
                batches.incrementAndGet();
                ops.addAndGet(n);
            } catch (SQLException e) {
                // Not committed: nobody in this batch may be told their write is durable.
                LOG.error("batch commit failed", e);
                try {
                    rollback.execute();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                failAll(batch, e);
                return;
            }
        } else {
            try {
                // Normally a no-op (SQLite already rolled back); makes sure the next BEGIN can run.
                rollback.execute();
            } catch (SQLException ignored) {
                // "no transaction is active": exactly the expected case.
            }
        }
        finishCommitted(batch, results, errors, transactionAlive);
    }

    /** How {@link #runPlain} ended. */
    private enum Plain { COMMITTED, RUN_CAREFULLY, FAILED }

    /**
     * The common case, a batch in which no write throws, without a SAVEPOINT around each write (two
     * statements fewer per write). If a write throws or the commit fails, all of it is rolled back
     * and a new transaction is begun for running the batch again write by write: writes are SQL
     * only, so running one again after a rollback is safe. If that transaction cannot be begun, the
     * batch's callers are failed here.
     */
    private Plain runPlain(List<Pending<?>> batch, Object[] results) {
        try {
            for (int i = 0; i < batch.size(); i++) {
                results[i] = batch.get(i).op.apply(writer);
            }
            commit.execute();
        } catch (Exception e) {
            LOG.debug("a write of the batch failed; running it again write by write", e);
            try {
                rollback.execute();
            } catch (SQLException noTransaction) {
                // SQLite may have rolled back by itself (I/O error, disk full): the state we want anyway.
            }
            Arrays.fill(results, null);
            try {
                begin.execute();
            } catch (SQLException again) {
                again.addSuppressed(e);
                failAll(batch, again);
                return Plain.FAILED;
            }
            return Plain.RUN_CAREFULLY;
        }
        batches.incrementAndGet();
        ops.addAndGet(batch.size());
        return Plain.COMMITTED;
    }

    /**
     * Tells the batch's callers, in order, once what they wrote is durable: after a sync of the WAL
     * unless every write that committed acknowledges nothing. {@code committed}: whether the batch's
     * transaction committed.
     */
    private void finishCommitted(List<Pending<?>> batch, Object[] results, Throwable[] errors, boolean committed) {
        long commit = committed ? ++commits : 0;
        boolean needsSync = false;
        for (int i = 0; i < batch.size(); i++) {
            needsSync |= committed && errors[i] == null && !batch.get(i).acknowledgesNothing;
        }
        if (needsSync) {
            failUnsynced(batch, errors, syncThrough(commit));
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).finish(results[i], errors[i]);
        }
    }

    /** After a failed sync, no write of the batch may be told it is durable. */
    private static void failUnsynced(List<Pending<?>> batch, Throwable[] errors, boolean synced) {
        if (synced) {
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (errors[i] == null) {
                errors[i] = new StoreException("the commit could not be made durable (the WAL's sync failed)");
            }
        }
    }

    /** Makes every commit up to {@code commit} durable: nothing if a sync that began later already ran. */
    private boolean syncThrough(long commit) {
        if (durableThrough >= commit) {
            return true;
        }
        // Every commit counted so far has its frames in the WAL's pages: this sync takes them all.
        long covered = commits;
        try {
            wal.force(false);
        } catch (IOException e) {
            LOG.error("sync of the WAL failed; the commits it should have made durable are refused", e);
            return false;
        }
        syncs.incrementAndGet();
        durableThrough = covered;
        return true;
    }

    /** How many syncs of the WAL made commits durable (at most one per transaction, fewer when they group). */
    public long syncCount() {
        return syncs.get();
    }

    private List<Pending<?>> drain() {
        List<Pending<?>> rest = new ArrayList<>();
        queue.drainTo(rest);
        rest.remove(POISON);
        return rest;
    }

    private void failAll(List<Pending<?>> batch, Throwable failure) {
        Throwable[] errors = new Throwable[batch.size()];
        Arrays.fill(errors, failure);
        finishCommitted(batch, new Object[batch.size()], errors, false);
    }

    /** A queued op and the future its caller waits on. */
    private static final class Pending<T> {
        final Op<T> op;
        /** Nobody is told of it: it need not be on disk when it completes. */
        final boolean acknowledgesNothing;
        final CompletableFuture<T> future = new CompletableFuture<>();

        Pending(Op<T> op, boolean acknowledgesNothing) {
            this.op = op;
            this.acknowledgesNothing = acknowledgesNothing;
        }

        @SuppressWarnings("unchecked")
        void finish(Object result, Throwable error) {
            if (error instanceof RuntimeException || error instanceof Error) {
                future.completeExceptionally(error);
            } else if (error != null) {
                // An SQLException: the store is unavailable, for waiting and non-waiting callers alike.
                future.completeExceptionally(new StoreException("write failed: " + error.getMessage(), error));
            } else {
                future.complete((T) result);
            }
        }
    }
}
