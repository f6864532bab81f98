package io.mutexify.cli;

import io.mutexify.client.Lease;
import io.mutexify.client.LockRequest;
import io.mutexify.client.MutexifyClient;
import io.mutexify.client.MutexifyException;
import io.mutexify.client.OwnerLabel;
import io.mutexify.client.SlotInfo;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An acquire that says on stderr when it starts waiting (who holds the slot, for how long, our
 * place in line) and when it is granted, so a CI log shows why a job sat still.
 */
final class WaitingAcquire {
    /** An acquire not answered within this has joined the line: time to say so. */
    private static final long QUIET_MILLIS = 500;

    private WaitingAcquire() {
    }

    static Lease acquire(MutexifyClient client, LockRequest request, PrintWriter err) {
        if (request.waitTime().isZero()) {
            return client.acquire(request);
        }
        long start = System.nanoTime();
        CompletableFuture<Lease> granted = CompletableFuture.supplyAsync(() -> client.acquire(request));
        try {
            return granted.get(QUIET_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException waiting) {
            err.println("mutexify: " + waitingLine(client, request));
            err.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MutexifyException(0, "interrupted", "interrupted while acquiring " + request.slot());
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
        try {
            Lease lease = granted.join();
            err.println("mutexify: granted " + request.slot() + " (fence " + lease.fence() + ") after "
                    + Durations.human(Duration.ofNanos(System.nanoTime() - start)));
            err.flush();
            return lease;
        } catch (CompletionException e) {
            throw unwrap(e);
        }
    }

    /** "waiting for ci-env-1: held by job-4711, 4m left, you are #2". */
    static String waitingLine(MutexifyClient client, LockRequest request) {
        String me = request.owner() != null ? request.owner() : OwnerLabel.hostAndPid();
        StringBuilder b = new StringBuilder("waiting for ").append(request.slot());
        try {
            SlotInfo s = client.slot(request.slot());
            if (s.lock() != null) {
                b.append(": held by ").append(s.lock().owner());
                if (s.lock().expireAt() != null) {
                    b.append(", ").append(Durations.human(Duration.between(Instant.now(), s.lock().expireAt()))).append(" left");
                }
            }
            int place = 0;
            for (int i = 0; i < s.waiters().size(); i++) {
                if (me.equals(s.waiters().get(i).owner())) {
                    place = i + 1;
                }
            }
            b.append(", you are #").append(place > 0 ? place : s.waiting() + 1);
        } catch (MutexifyException e) {
            b.append(" (").append(e.getMessage()).append(')'); // the wait goes on; the detail is a nicety
        }
        return b.append(" (up to ").append(Durations.human(request.waitTime())).append(')').toString();
    }

    private static RuntimeException unwrap(Throwable e) {
        Throwable c = e.getCause() != null ? e.getCause() : e;
        return c instanceof RuntimeException r ? r : new MutexifyException(0, "failed", String.valueOf(c.getMessage()));
    }
}
