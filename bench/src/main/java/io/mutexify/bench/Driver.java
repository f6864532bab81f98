package io.mutexify.bench;

import java.io.IOException;

/**
 * How one bench client talks to the server: {@code http}, its own lean keep-alive connection
 * ({@link BenchHttp}), or {@code client}, the Java client library ({@link ClientDriver}).
 */
interface Driver extends AutoCloseable {
    /** A granted lock: its token and fence. */
    record Grant(String token, long fence) {
    }

    /** Opens one client's driver. */
    @FunctionalInterface
    interface Factory {
        Driver open();
    }

    /** Acquires {@code slot}; returns null on a refusal (409). */
    Grant acquire(String slot, int timeout, int wait) throws IOException;

    void release(String slot, String token) throws IOException;

    @Override
    void close();
}
