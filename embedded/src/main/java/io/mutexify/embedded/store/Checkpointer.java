package io.mutexify.embedded.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the WAL back into the database file on a thread and connection of its own.
 *
 * <p>Left to SQLite, the checkpoint runs inside whichever COMMIT crosses the WAL size threshold,
 * so that batch (and every caller waiting on it) pays for copying and fsyncing the main file.
 * A PASSIVE checkpoint here runs beside the writer instead, and keeps the WAL short: a WAL that
 * is rewound and overwritten costs less to fsync than one that keeps growing.
 */
final class Checkpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

    private final Connection connection;
    private final LongSupplier writeCounter;
    private final long intervalMillis;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Checkpoints {@code file} at most every {@code intervalMillis}, and only when
     * {@code writeCounter} (the committer's batch count) moved since the last time.
     */
    public Checkpointer(Path file, LongSupplier writeCounter, long intervalMillis, String threadName)
            throws SQLException {
        this.connection = SqliteConnections.openWriter(file);
        this.writeCounter = writeCounter;
        this.intervalMillis = intervalMillis;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        long checkpointedAt = writeCounter.getAsLong();
        while (running) {
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                break;
            }
            long now = writeCounter.getAsLong();
            if (now == checkpointedAt) {
                continue;
            }
            checkpointedAt = now;
            try (Statement st = connection.createStatement()) {
                // PASSIVE never waits for the writer or readers: it copies what it can and returns.
                st.execute("PRAGMA wal_checkpoint(PASSIVE)");
            } catch (SQLException e) {
                // Not fatal: the writer's own (larger) autocheckpoint still bounds the WAL.
                LOG.warn("background checkpoint failed", e);
            }
        }
    }

    /** Stops the thread; a checkpoint under way finishes first. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        Threads.joinUninterruptibly(thread);
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the checkpoint connection failed", e);
        }
    }
}
