package io.mutexify.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A lock you hold: its {@link #token()}, {@link #fence()} and expiry, renewed in the background
 * until you {@link #close()} it. Use it in try-with-resources:
 *
 * <pre>{@code
 * try (Lease lease = client.acquire("deploy-prod", Duration.ofSeconds(30), Duration.ofSeconds(10), List.of())) {
 *     deploy(lease.fence());          // let the target reject writes with an older fence
 * }                                   // released here
 * }</pre>
 *
 * <h2>Deadline and renewal</h2>
 * The lease measures its own <em>safe deadline</em> on the monotonic clock ({@link System#nanoTime()}):
 * the moment the acquire (or the last successful renewal) was first <em>sent</em>, plus the granted
 * time to live, less 1% for clock-rate drift. The server starts counting only when it receives the
 * request, so the lock cannot end on the server before that deadline, whatever the wall clocks say.
 * It renews after a third of the time to live, and retries failed renewals until it is
 * {@linkplain MutexifyClient.Builder#lossMargin(Duration) a margin} before the deadline.
 *
 * <h2>Loss</h2>
 * If the server says the token no longer holds the slot (an owner broke the lock, it expired, the
 * slot was deleted), or renewal has not succeeded by the margin before the deadline, the lease is
 * lost: it stops renewing, {@link #isValid()} turns false for good, {@link #ended()} completes with
 * the reason, and every {@link LeaseListener} is told — all before the safe deadline. A lost lease
 * never becomes valid again, even if a late renewal succeeds; acquire a new one.
 *
 * <p>Thread-safe. {@link #isValid()} reads the clock itself, so it turns false at the margin even if
 * the client's timer thread is late.
 */
public final class Lease implements AutoCloseable {
    private static final System.Logger log = System.getLogger(Lease.class.getName());
    /** The share of the time to live allowed for the client's clock running faster than the server's. */
    private static final long DRIFT_DIVISOR = 100;

    private enum Outcome { RENEWED, UNCHANGED, NOT_HELD, REFUSED, FAILED }

    private final MutexifyClient client;
    private final String slot;
    private final String token;
    private final long fence;
    private final String unit;
    private final CompletableFuture<LeaseEnd> ended = new CompletableFuture<>();
    private final Object mutex = new Object();

    private volatile LockInfo lock;
    private volatile long ttlNanos;
    private volatile long deadline;
    private volatile long validUntil;
    private volatile LeaseEnd end;
    // Guarded by mutex:
    private long renewAt;
    private ScheduledFuture<?> renewTimer;
    private ScheduledFuture<?> lossTimer;
    private String renewalKey;
    private long renewalFirstSent;
    private Throwable lastError;

    Lease(MutexifyClient client, LockInfo granted, long sentNanos) {
        this.client = client;
        this.slot = granted.resource();
        this.token = granted.token();
        this.fence = granted.fence();
        this.unit = granted.unit();
        anchor(granted, sentNanos);
    }

    /** The slot this lease holds. */
    public String slot() {
        return slot;
    }

    /** The secret that extends and releases this grant. Do not log it. */
    public String token() {
        return token;
    }

    /**
     * The fencing token of this grant. Pass it to the resource you protect and have it reject
     * requests with a fence lower than the highest it has seen.
     */
    public long fence() {
        return fence;
    }

    /**
     * The unit of a pool with named units this lease holds ({@code ci-env-2}), or null for a slot
     * without named units. Work on that unit only while the lease is valid.
     */
    public String unit() {
        return unit;
    }

    /** The granted time to live; each renewal asks for the same. */
    public Duration ttl() {
        return Duration.ofNanos(ttlNanos);
    }

    /** The server's latest view of the lock (with the token). */
    public LockInfo lock() {
        return lock;
    }

    /**
     * When the server says the lock ends unless renewed (server clock). Informational: do not
     * compare it with your own clock to decide whether you hold the lock; use {@link #isValid()}.
     */
    public Instant expireAt() {
        return lock.expireAt();
    }

    /**
     * Whether this lease may still be relied on: not released, not lost, and before the margin
     * ahead of its safe deadline. Once false, it stays false.
     */
    public boolean isValid() {
        return end == null && System.nanoTime() - validUntil < 0;
    }

    /** How long the lease may still be relied on if no renewal succeeds from now on; zero once it is not valid. */
    public Duration timeLeft() {
        long left = validUntil - System.nanoTime();
        return end != null || left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    /**
     * The safe deadline as a {@link System#nanoTime()} value: the server cannot end the lock before
     * this moment unless someone breaks it. A loss is reported before it.
     */
    public long safeDeadlineNanos() {
        return deadline;
    }

    /**
     * Completes once, when the lease ends: {@link LeaseEnd.Reason#RELEASED} when you release it
     * ({@link LeaseEnd.Reason#DETACHED} when you {@linkplain #detach() detach} it), another reason
     * ({@link LeaseEnd#isLoss()}) when it is lost. Never completes exceptionally.
     * Dependent actions run on a client thread (or on the releasing thread); do not block in them.
     */
    public CompletableFuture<LeaseEnd> ended() {
        return ended;
    }

    /** Adds a listener told when the lease is lost; if it already was, the listener is called at once. */
    public Lease addListener(LeaseListener listener) {
        ended.thenAccept(e -> {
            if (e.isLoss()) {
                try {
                    listener.onLost(this, e);
                } catch (RuntimeException ex) {
                    log.log(System.Logger.Level.WARNING, "a lease listener failed", ex);
                }
            }
        });
        return this;
    }

    /**
     * Releases the lock now and stops renewing. Returns true if the server released it, false if
     * the lease had already ended or the server said the token no longer held the slot.
     *
     * @throws MutexifyException if the server could not be reached: the lease has ended all the
     *                           same, and the lock stays on the server until it expires
     */
    public boolean release() {
        synchronized (mutex) {
            if (end != null) {
                return false;
            }
            end = new LeaseEnd(LeaseEnd.Reason.RELEASED, "released by its holder", null);
            cancelTimers();
        }
        client.forget(this);
        ended.complete(end);
        Transport.Response r = client.transport().call(new Transport.Call("DELETE", path(), null, MutexifyClient.newKey()),
                client.transport().requestTimeout());
        if (r.status() == 204) {
            return true;
        }
        if (r.status() == 404) {
            return false;
        }
        throw Transport.errorFor(r, slot);
    }

    /**
     * Stops renewing without releasing: the lock stays held on the server until it expires, or
     * until someone releases it with {@link #token()} (for example another process that was handed
     * the token). {@link #ended()} completes with {@link LeaseEnd.Reason#DETACHED}.
     *
     * @return the latest view of the lock, with its token and expiry
     */
    public LockInfo detach() {
        synchronized (mutex) {
            if (end == null) {
                end = new LeaseEnd(LeaseEnd.Reason.DETACHED, "detached: no longer renewed here, not released", null);
                cancelTimers();
            }
        }
        client.forget(this);
        ended.complete(end);
        return lock;
    }

    /** {@link #release()}, but never throws: a failure is logged and the lock expires on the server. */
    @Override
    public void close() {
        try {
            release();
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "could not release the lock on " + slot + "; it ends when it expires", e);
        }
    }

    @Override
    public String toString() {
        LeaseEnd e = end;
        return "Lease[slot=" + slot + ", fence=" + fence + ", " + (e == null ? (isValid() ? "valid" : "expiring") : e.reason()) + "]";
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

    /** Ends the lease if its validity has run out; returns how it ended, or null if it is still valid. */
    LeaseEnd lossNow() {
        checkDeadline();
        return end;
    }

    // ---- renewal ----

    private void anchor(LockInfo l, long sentNanos) {
        long ttl = TimeUnit.SECONDS.toNanos(Math.max(1, l.timeout()));
        long margin = Math.min(client.lossMargin().toNanos(), ttl / 4);
        this.lock = l;
        this.ttlNanos = ttl;
        this.deadline = sentNanos + ttl - ttl / DRIFT_DIVISOR;
        this.validUntil = deadline - margin;
        this.renewAt = sentNanos + ttl / 3;
    }

    /** Renews synchronously before the lease is handed out, because the grant's own deadline is (nearly) gone. */
    private void confirm() {
        long budgetEnd = System.nanoTime() + client.transport().requestTimeout().toNanos();
        while (true) {
            Outcome o = attempt(budgetEnd, true);
            switch (o) {
                case RENEWED:
                    return;
                case NOT_HELD:
                    lose(LeaseEnd.Reason.NOT_HELD, "the lock on " + slot + " ended before it could be confirmed", false);
                    throw new MutexifyException(404, "lock_not_found", "the lock on " + slot
                            + " was granted but ended before it could be confirmed; acquire it again");
                case REFUSED:
                    lose(LeaseEnd.Reason.RENEWAL_REFUSED, "the server refused to confirm the lock on " + slot, true);
                    throw new MutexifyException(0, "not_confirmed", "the server refused to confirm the lock on " + slot, lastError());
                default:
                    if (System.nanoTime() - budgetEnd >= 0) {
                        lose(LeaseEnd.Reason.RENEWAL_FAILED, "the lock on " + slot + " could not be confirmed", true);
                        throw new MutexifyException(0, "not_confirmed", "the lock on " + slot
                                + " was granted but could not be confirmed in time", lastError());
                    }
                    Transport.sleep(retryDelay());
            }
        }
    }

    private Throwable lastError() {
        synchronized (mutex) {
            return lastError;
        }
    }

    private void schedule() {
        synchronized (mutex) {
            if (end != null) {
                return;
            }
            cancelTimers();
            long now = System.nanoTime();
            renewTimer = client.timers().schedule(this::renewSoon, Math.max(0, renewAt - now), TimeUnit.NANOSECONDS);
            lossTimer = client.timers().schedule(this::checkDeadline, Math.max(0, validUntil - now), TimeUnit.NANOSECONDS);
        }
    }

    /** Timer thread: hands the (blocking) renewal to a worker. */
    private void renewSoon() {
        if (end == null) {
            client.workers().execute(this::renew);
        }
    }

    private void renew() {
        if (end != null) {
            return;
        }
        Outcome o = attempt(validUntil, false);
        switch (o) {
            case RENEWED -> schedule();
            case NOT_HELD -> lose(LeaseEnd.Reason.NOT_HELD, "the server says the token no longer holds " + slot
                    + " (broken by an owner, expired, or the slot was deleted)", false);
            case REFUSED -> lose(LeaseEnd.Reason.RENEWAL_REFUSED, "the server refused to renew the lock on " + slot
                    + ": " + lastError().getMessage(), true);
            default -> retryRenewal();
        }
    }

    private void retryRenewal() {
        synchronized (mutex) {
            if (end != null) {
                return;
            }
            if (renewTimer != null) {
                renewTimer.cancel(false);
            }
            renewTimer = client.timers().schedule(this::renewSoon, retryDelay(), TimeUnit.NANOSECONDS);
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
            if (end != null) {
                return Outcome.FAILED;
            }
            if (renewalKey == null) {
                renewalKey = MutexifyClient.newKey();
                renewalFirstSent = System.nanoTime();
            }
            key = renewalKey;
        }
        ObjectNode body = Wire.MAPPER.createObjectNode().put("timeout", TimeUnit.NANOSECONDS.toSeconds(ttlNanos));
        Transport.Response r;
        try {
            long left = until - System.nanoTime();
            Duration timeout = Duration.ofNanos(Math.max(1, Math.min(client.transport().requestTimeout().toNanos(), left)));
            r = client.transport().call(new Transport.Call("PUT", path(), body, key), timeout, 0, until, true);
        } catch (MutexifyException e) {
            synchronized (mutex) {
                lastError = e;
            }
            return Outcome.FAILED;
        }
        synchronized (mutex) {
            if (end != null) {
                return Outcome.FAILED;
            }
            if (r.status() == 200) {
                LockInfo renewed = Wire.lock(r.json());
                renewalKey = null;
                if (renewed == null || !token.equals(renewed.token())) {
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
            MutexifyException error = Transport.errorFor(r, slot);
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

    private void checkDeadline() {
        if (end == null && System.nanoTime() - validUntil >= 0) {
            Throwable cause = lastError();
            lose(LeaseEnd.Reason.RENEWAL_FAILED, "the lock on " + slot + " could not be renewed before its deadline"
                    + (cause == null ? "" : " (last error: " + cause.getMessage() + ")"), true);
        }
    }

    private void lose(LeaseEnd.Reason reason, String message, boolean releaseQuietly) {
        LeaseEnd e;
        synchronized (mutex) {
            if (end != null) {
                return;
            }
            e = new LeaseEnd(reason, message, lastError);
            end = e;
            cancelTimers();
        }
        client.forget(this);
        log.log(System.Logger.Level.WARNING, "lease lost: {0}", e);
        client.workers().execute(() -> ended.complete(e));
        if (releaseQuietly) {
            // The server may still count the lock as ours: give it back so the next waiter need not wait for the expiry.
            client.workers().execute(this::releaseQuietly);
        }
    }

    private void releaseQuietly() {
        try {
            client.transport().call(new Transport.Call("DELETE", path(), null, MutexifyClient.newKey()),
                    Duration.ofSeconds(5), 0, 0, false);
        } catch (RuntimeException ignored) {
            // best effort: the lock expires on the server anyway
        }
    }

    private void cancelTimers() {
        if (renewTimer != null) {
            renewTimer.cancel(false);
            renewTimer = null;
        }
        if (lossTimer != null) {
            lossTimer.cancel(false);
            lossTimer = null;
        }
    }

    private String path() {
        return "/api/v1/locks/" + slot + "/" + token;
    }
}
