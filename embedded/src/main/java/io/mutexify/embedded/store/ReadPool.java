package io.mutexify.embedded.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A small pool of read connections. In WAL mode each reader sees the last committed snapshot
 * without waiting for the writer, so reads never queue behind a batch being fsynced.
 */
final class ReadPool implements AutoCloseable {
    /** A read run on a pooled connection. */
    @FunctionalInterface
    public interface Read<T> {
        T apply(Connection reader) throws SQLException;
    }

    private final Path file;
    private final int size;
    private final Semaphore permits;
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
    private final List<Connection> all = new ArrayList<>(); // guarded by itself
    private volatile boolean closed;

    /** At most {@code size} connections, opened on first need. */
    public ReadPool(Path file, int size) {
        this.file = file;
        this.size = size;
        this.permits = new Semaphore(size, true);
    }

    /** Runs {@code read} on a pooled connection; SQL failures surface as {@link StoreException}. */
    public <T> T read(Read<T> read) {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
        permits.acquireUninterruptibly();
        try {
            Connection c = borrow();
            try {
                return read.apply(c);
            } finally {
                idle.add(c);
            }
        } catch (SQLException e) {
            throw new StoreException("read failed: " + e.getMessage(), e);
        } finally {
            permits.release();
        }
    }

    private Connection borrow() throws SQLException {
        Connection c = idle.poll();
        if (c != null) {
            return c;
        }
        // Holding a permit guarantees fewer than `size` connections are in use, so opening one
        // more never exceeds the bound.
        c = SqliteConnections.openReader(file);
        synchronized (all) {
            all.add(c);
        }
        return c;
    }

    /** Waits briefly for reads in flight, then closes every connection. */
    @Override
    public void close() {
        closed = true;
        boolean drained = false;
        try {
            drained = permits.tryAcquire(size, 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (all) {
            for (Connection c : all) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // Closing a reader cannot lose data; nothing useful to do.
                }
            }
            all.clear();
        }
        idle.clear();
        if (drained) {
            permits.release(size);
        }
    }
}
