package io.mutexify.bench;

import io.mutexify.client.Lease;
import io.mutexify.client.LockHeldException;
import io.mutexify.client.LockRequest;
import io.mutexify.client.MutexifyClient;
import io.mutexify.client.MutexifyException;
import java.io.IOException;
import java.time.Duration;

/**
 * {@code --driver client}: one bench client through the Java client library, as an application
 * would use it — {@link MutexifyClient#acquire} returns a renewing {@link Lease}, released with
 * {@link Lease#release()}. Every bench client shares one {@link MutexifyClient} (one HttpClient
 * with its connection pool), as one process would.
 */
final class ClientDriver implements Driver {
    private final MutexifyClient client;
    private Lease held;

    ClientDriver(MutexifyClient client) {
        this.client = client;
    }

    @Override
    public Grant acquire(String slot, int timeout, int wait) throws IOException {
        try {
            held = client.acquire(LockRequest.of(slot, Duration.ofSeconds(timeout))
                    .withWait(Duration.ofSeconds(wait)).withOwner("bench"));
            return new Grant(held.token(), held.fence());
        } catch (LockHeldException e) {
            return null;
        } catch (MutexifyException e) {
            throw new IOException("acquire " + slot + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void release(String slot, String token) throws IOException {
        Lease lease = held;
        held = null;
        if (lease == null || !lease.token().equals(token)) {
            throw new IOException("release " + slot + ": this client does not hold that lock");
        }
        try {
            if (!lease.release()) {
                throw new IOException("release " + slot + ": the lock was no longer held");
            }
        } catch (MutexifyException e) {
            throw new IOException("release " + slot + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (held != null) {
            held.close();
            held = null;
        }
    }
}
