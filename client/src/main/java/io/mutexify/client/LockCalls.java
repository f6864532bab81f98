package io.mutexify.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The lock calls of the API: acquire (waiting in line as long as asked), run under a lock, read, extend, release. */
record LockCalls(Transport transport, Leases leases, String owner) {
    /**
     * The longest wait the server takes in one acquire (24 h); longer waits join the line again. A
     * wait beyond one call's limit is answered 202 and long-polled at its request, keeping its place.
     */
    private static final int MAX_SERVER_WAIT_SECONDS = 86_400;

    Lease acquire(LockRequest request) {
        String slot = Wire.slot(request.slot());
        Integer ttlSeconds = request.ttl() == null ? null : Wire.seconds(request.ttl(), "ttl");
        String ownerLabel = request.owner() != null ? request.owner() : owner;
        long waitNanos = request.waitTime().toNanos();
        long start = System.nanoTime();
        for (int round = 1; ; round++) {
            long left = waitNanos - (System.nanoTime() - start);
            int waitSeconds = left <= 0 ? 0 : (int) Math.min(MAX_SERVER_WAIT_SECONDS, (left + 999_999_999L) / 1_000_000_000L);
            Wire.AcquireBody body = new Wire.AcquireBody(ownerLabel, ttlSeconds, request.metadata(), waitSeconds, request.unit());
            String key = request.idempotencyKey() == null ? Transport.newKey()
                    : round == 1 ? request.idempotencyKey() : request.idempotencyKey() + "#" + round;
            Transport.Response r = transport.call(new Transport.Call("POST", "/api/v1/locks/" + slot, body, key),
                    transport.requestTimeout().plusSeconds(waitSeconds));
            if (r.status() == 200) {
                LockInfo granted = r.as(LockInfo.class);
                if (granted == null || granted.token() == null) {
                    throw new MutexifyException(200, "bad_answer", "the server granted " + slot + " without a lock token");
                }
                return leases.open(granted, r.firstSentNanos(), request.idempotencyKey() != null);
            }
            MutexifyException error = Transport.errorFor(r, slot);
            if (!(error instanceof LockHeldException held) || waitNanos <= 0) {
                throw error;
            }
            if (waitNanos - (System.nanoTime() - start) > TimeUnit.MILLISECONDS.toNanos(500)) {
                continue; // a wait longer than the server's longest: join the line again
            }
            throw new AcquireTimeoutException(slot, request.waitTime(), held.holder());
        }
    }

    <T, E extends Exception> T withLock(LockRequest request, LockedAction<T, E> action) throws E {
        Objects.requireNonNull(action, "action");
        Lease lease = acquire(request);
        T result;
        try {
            result = action.run(lease);
        } catch (Throwable t) {
            LeaseEnd lost = lease.lossNow();
            if (lost != null && lost.isLoss()) {
                t.addSuppressed(new LockLostException(lease.slot(), lost));
            }
            lease.close();
            throw t;
        }
        LeaseEnd lost = lease.lossNow();
        lease.close();
        if (lost != null && lost.isLoss()) {
            throw new LockLostException(lease.slot(), lost);
        }
        return result;
    }

    Optional<LockInfo> status(String slot) {
        Transport.Response r = transport.call(Transport.Call.get("/api/v1/locks/" + Wire.slot(slot)), transport.requestTimeout());
        if (r.status() == 200) {
            return Optional.of(r.read(LockInfo.class));
        }
        if (r.status() == 404 && "not_held".equals(r.error().error())) {
            return Optional.empty();
        }
        throw Transport.errorFor(r, slot);
    }

    LockInfo lock(String slot, String token) {
        return lockAnswer(slot, transport.call(Transport.Call.get(path(slot, token)), transport.requestTimeout()));
    }

    LockInfo extend(String slot, String token, Duration ttl) {
        Wire.TimeoutBody body = new Wire.TimeoutBody(Wire.seconds(ttl, "ttl"));
        return lockAnswer(slot, transport.call(new Transport.Call("PUT", path(slot, token), body, Transport.newKey()),
                transport.requestTimeout()));
    }

    void release(String slot, String token) {
        Transport.Response r = transport.call(new Transport.Call("DELETE", path(slot, token), null, Transport.newKey()),
                transport.requestTimeout());
        if (r.status() != 204) {
            throw Transport.errorFor(r, slot);
        }
    }

    /** The path of one grant; it carries the token, so {@link Transport#redact} keeps it out of messages. */
    static String path(String slot, String token) {
        return "/api/v1/locks/" + Wire.slot(slot) + "/" + Wire.token(token);
    }

    private static LockInfo lockAnswer(String slot, Transport.Response r) {
        if (r.status() != 200) {
            throw Transport.errorFor(r, slot);
        }
        return r.read(LockInfo.class);
    }
}
