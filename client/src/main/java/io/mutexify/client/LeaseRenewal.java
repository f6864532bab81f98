package io.mutexify.client;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one {@link Lease} alive: measures its safe deadline from each grant's first send, renews it
 * after a third of its time to live, retries failed renewals under the same idempotency key, and has
 * the lease declared lost when renewal has not succeeded by the margin before the deadline.
 * Shares the lease's mutex; ending the lease stays the lease's job.
 */
final class LeaseRenewal {
    /** The share of the time to live allowed for the client's clock running faster than the server's. */
    private static final long DRIFT_DIVISOR = 100;

    private enum Outcome { RENEWED, UNCHANGED, NOT_HELD, REFUSED, FAILED }

    private final Lease lease;
    private final Leases leases;
    private final Object mutex;

    private volatile LockInfo lock;
    private volatile long ttlNanos;
    private volatile long deadline;
    private volatile long validUntil;
    // Guarded by mutex:
    private long renewAt;
    private ScheduledFuture<?> renewTimer;
    private ScheduledFuture<?> lossTimer;
    private String renewalKey;
    private long renewalFirstSent;
    private Throwable lastError;

    LeaseRenewal(Lease lease, Leases leases, Object mutex, LockInfo granted, long sentNanos) {
        this.lease = lease;
        this.leases = leases;
        this.mutex = mutex;
        anchor(granted, sentNanos);
    }

    LockInfo lock() {
        return lock;
    }

    long ttlNanos() {
        return ttlNanos;
    }

    long deadline() {
        return deadline;
    }

    /** The {@link System#nanoTime()} after which the lease may no longer be relied on. */
    long validUntil() {
        return validUntil;
    }

    Throwable lastError() {
        synchronized (mutex) {
            return lastError;
        }
    }

    /**
     * Starts renewing. Confirms the grant first (a renewal, whose send time anchors the deadline)
     * if it is already due for renewal — it came after a long wait — or if {@code replayable}: an
     * answer to a caller-chosen idempotency key may be a stored grant from long ago.
     */
    void start(boolean replayable) {
        long now = System.nanoTime();
        boolean due;
        synchronized (mutex) {
            due = replayable || now - renewAt >= 0;
        }
        if (due) {
            confirm();
        }
        schedule();
    }

    /** Has the lease declared lost if its validity has run out. */
    void checkDeadline() {
        if (lease.endNow() == null && System.nanoTime() - validUntil >= 0) {
            Throwable cause = lastError();
            lease.lose(LeaseEnd.Reason.RENEWAL_FAILED, "the lock on " + lease.slot() + " could not be renewed before its deadline"
                    + (cause == null ? "" : " (last error: " + cause.getMessage() + ")"), true);
        }
    }

    /** Stops the timers; the caller holds the mutex. */
    void cancelTimers() {
        if (renewTimer != null) {
            renewTimer.cancel(false);
            renewTimer = null;
        }
        if (lossTimer != null) {
            lossTimer.cancel(false);
            lossTimer = null;
        }
    }

    private void anchor(LockInfo l, long sentNanos) {
        long ttl = TimeUnit.SECONDS.toNanos(Math.max(1, l.timeout()));
        long margin = Math.min(leases.lossMargin.toNanos(), ttl / 4);
        this.lock = l;
        this.ttlNanos = ttl;
        this.deadline = sentNanos + ttl - ttl / DRIFT_DIVISOR;
        this.validUntil = deadline - margin;
        this.renewAt = sentNanos + ttl / 3;
    }

    /** Renews synchronously before the lease is handed out, because the grant's own deadline is (nearly) gone. */
    private void confirm() {
        String slot = lease.slot();
        long budgetEnd = System.nanoTime() + leases.transport.requestTimeout().toNanos();
        while (true) {
            Outcome o = attempt(budgetEnd, true);
            switch (o) {
                case RENEWED:
                    return;
                case NOT_HELD:
                    lease.lose(LeaseEnd.Reason.NOT_HELD, "the lock on " + slot + " ended before it could be confirmed", false);
                    throw new MutexifyException(404, "lock_not_found", "the lock on " + slot
                            + " was granted but ended before it could be confirmed; acquire it again");
                case REFUSED:
                    lease.lose(LeaseEnd.Reason.RENEWAL_REFUSED, "the server refused to confirm the lock on " + slot, true);
                    throw new MutexifyException(0, "not_confirmed", "the server refused to confirm the lock on " + slot, lastError());
                default:
                    if (System.nanoTime() - budgetEnd >= 0) {
                        lease.lose(LeaseEnd.Reason.RENEWAL_FAILED, "the lock on " + slot + " could not be confirmed", true);
                        throw new MutexifyException(0, "not_confirmed", "the lock on " + slot
                                + " was granted but could not be confirmed in time", lastError());
                    }
                    Transport.sleep(retryDelay());
            }
        }
    }

    private void schedule() {
        synchronized (mutex) {
            if (lease.endNow() != null) {
                return;
            }
            cancelTimers();
            long now = System.nanoTime();
            renewTimer = leases.timers.schedule(this::renewSoon, Math.max(0, renewAt - now), TimeUnit.NANOSECONDS);
            lossTimer = leases.timers.schedule(this::checkDeadline, Math.max(0, validUntil - now), TimeUnit.NANOSECONDS);
        }
    }

    /** Timer thread: hands the (blocking) renewal to a worker. */
    private void renewSoon() {
        if (lease.endNow() == null) {
            leases.workers.execute(this::renew);
        }
    }

    private void renew() {
        if (lease.endNow() != null) {
            return;
        }
        String slot = lease.slot();
        Outcome o = attempt(validUntil, false);
        switch (o) {
            case RENEWED -> schedule();
            case NOT_HELD -> lease.lose(LeaseEnd.Reason.NOT_HELD, "the server says the token no longer holds " + slot
                    + " (broken by an owner, expired, or the slot was deleted)", false);
            case REFUSED -> lease.lose(LeaseEnd.Reason.RENEWAL_REFUSED, "the server refused to renew the lock on " + slot
                    + ": " + lastError().getMessage(), true);
            default -> retryRenewal();
        }
    }

    private void retryRenewal() {
        synchronized (mutex) {
            if (lease.endNow() != null) {
                return;
            }
            if (renewTimer != null) {
                renewTimer.cancel(false);
            }
            renewTimer = leases.timers.schedule(this::renewSoon, retryDelay(), TimeUnit.NANOSECONDS);
        }
    }

    private long retryDelay() {
        return Math.max(TimeUnit.MILLISECONDS.toNanos(20), Math.min(ttlNanos / 10, TimeUnit.SECONDS.toNanos(1)));
    }

    /**
     * One renewal attempt, bounded by {@code until}. A retry of an unanswered renewal reuses its
     * idempotency key, and a success is measured from that key's first send: a stored answer to an
     * earlier attempt counts from that earlier attempt.
     */
    private Outcome attempt(long until, boolean confirming) {
        String key;
        synchronized (mutex) {
            if (lease.endNow() != null) {
                return Outcome.FAILED;
            }
            if (renewalKey == null) {
                renewalKey = Transport.newKey();
                renewalFirstSent = System.nanoTime();
            }
            key = renewalKey;
        }
        Wire.TimeoutBody body = new Wire.TimeoutBody(TimeUnit.NANOSECONDS.toSeconds(ttlNanos));
        Transport transport = leases.transport;
        Transport.Response r;
        try {
            long left = until - System.nanoTime();
            Duration timeout = Duration.ofNanos(Math.max(1, Math.min(transport.requestTimeout().toNanos(), left)));
            r = transport.call(new Transport.Call("PUT", lease.path(), body, key), timeout, RetryPolicy.NONE, Deadline.at(until));
        } catch (MutexifyException e) {
            synchronized (mutex) {
                lastError = e;
            }
            return Outcome.FAILED;
        }
        synchronized (mutex) {
            if (lease.endNow() != null) {
                return Outcome.FAILED;
            }
            return judge(r, confirming);
        }
    }

    /** What a renewal's answer means for the lease; the caller holds the mutex. */
    private Outcome judge(Transport.Response r, boolean confirming) {
        if (r.status() == 200) {
            LockInfo renewed = r.as(LockInfo.class);
            renewalKey = null;
            if (renewed == null || !lease.token().equals(renewed.token())) {
                lastError = new MutexifyException(200, "unexpected", "the renewal answered a different lock");
                return Outcome.REFUSED;
            }
            if (!confirming && System.nanoTime() - validUntil >= 0) {
                // Too late: the lease has already stopped being valid, and it never comes back.
                return Outcome.FAILED;
            }
            anchor(renewed, renewalFirstSent);
            lastError = null;
            return Outcome.RENEWED;
        }
        MutexifyException error = Transport.errorFor(r, lease.slot());
        lastError = error;
        if (r.status() == 404) {
            return Outcome.NOT_HELD;
        }
        if (r.status() == 409 && "would_shorten".equals(error.code())) {
            renewalKey = null; // the lock already runs longer than asked; try again later
            return Outcome.UNCHANGED;
        }
        if (r.status() == 429 || r.status() >= 500) {
            return Outcome.FAILED;
        }
        return Outcome.REFUSED;
    }
}
