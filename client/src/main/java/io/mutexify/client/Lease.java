package io.mutexify.client;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

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
 * {@linkplain MutexifyClientBuilder#lossMargin(Duration) a margin} before the deadline.
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

    private final Leases leases;
    private final String slot;
    private final String token;
    private final long fence;
    private final String unit;
    private final CompletableFuture<LeaseEnd> ended = new CompletableFuture<>();
    private final Object mutex = new Object();
    private final LeaseRenewal renewal;
    private volatile LeaseEnd end;

    Lease(Leases leases, LockInfo granted, long sentNanos) {
        this.leases = leases;
        this.slot = granted.resource();
        this.token = granted.token();
        this.fence = granted.fence();
        this.unit = granted.unit();
        this.renewal = new LeaseRenewal(this, leases, mutex, granted, sentNanos);
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
        return Duration.ofNanos(renewal.ttlNanos());
    }

    /** The server's latest view of the lock (with the token). */
    public LockInfo lock() {
        return renewal.lock();
    }

    /**
     * When the server says the lock ends unless renewed (server clock). Informational: do not
     * compare it with your own clock to decide whether you hold the lock; use {@link #isValid()}.
     */
    public Instant expireAt() {
        return renewal.lock().expireAt();
    }

    /**
     * Whether this lease may still be relied on: not released, not lost, and before the margin
     * ahead of its safe deadline. Once false, it stays false.
     */
    public boolean isValid() {
        return end == null && System.nanoTime() - renewal.validUntil() < 0;
    }

    /** How long the lease may still be relied on if no renewal succeeds from now on; zero once it is not valid. */
    public Duration timeLeft() {
        long left = renewal.validUntil() - System.nanoTime();
        return end != null || left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    /**
     * The safe deadline as a {@link System#nanoTime()} value: the server cannot end the lock before
     * this moment unless someone breaks it. A loss is reported before it.
     */
    public long safeDeadlineNanos() {
        return renewal.deadline();
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
            renewal.cancelTimers();
        }
        leases.forget(this);
        ended.complete(end);
        Transport transport = leases.transport;
        Transport.Response r = transport.call(new Transport.Call("DELETE", path(), null, Transport.newKey()),
                transport.requestTimeout());
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
                renewal.cancelTimers();
            }
        }
        leases.forget(this);
        ended.complete(end);
        return renewal.lock();
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

    /** Starts renewing; see {@link LeaseRenewal#start(boolean)}. */
    void start(boolean replayable) {
        renewal.start(replayable);
    }

    /** Ends the lease if its validity has run out; returns how it ended, or null if it is still valid. */
    LeaseEnd lossNow() {
        renewal.checkDeadline();
        return end;
    }

    /** How the lease ended, or null while it has not. */
    LeaseEnd endNow() {
        return end;
    }

    /** Ends the lease as lost and tells the listeners; with {@code releaseQuietly}, gives the lock back too. */
    void lose(LeaseEnd.Reason reason, String message, boolean releaseQuietly) {
        LeaseEnd e;
        synchronized (mutex) {
            if (end != null) {
                return;
            }
            e = new LeaseEnd(reason, message, renewal.lastError());
            end = e;
            renewal.cancelTimers();
        }
        leases.forget(this);
        log.log(System.Logger.Level.WARNING, "lease lost: {0}", e);
        leases.workers.execute(() -> ended.complete(e));
        if (releaseQuietly) {
            // The server may still count the lock as ours: give it back so the next waiter need not wait for the expiry.
            leases.workers.execute(this::releaseQuietly);
        }
    }

    String path() {
        return "/api/v1/locks/" + slot + "/" + token;
    }

    private void releaseQuietly() {
        try {
            leases.transport.call(new Transport.Call("DELETE", path(), null, Transport.newKey()),
                    Duration.ofSeconds(5), RetryPolicy.NONE, Deadline.NONE);
        } catch (RuntimeException ignored) {
            // best effort: the lock expires on the server anyway
        }
    }
}
