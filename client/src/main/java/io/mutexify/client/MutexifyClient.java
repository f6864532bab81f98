package io.mutexify.client;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A client of the Mutexify REST API v1: locks as self-renewing {@link Lease}s, plus the slot calls.
 *
 * <pre>{@code
 * MutexifyClient client = MutexifyClient.builder()
 *         .baseUrl("https://locks.example.com")
 *         .apiKey(System.getenv("MUTEXIFY_API_KEY"))
 *         .build();
 *
 * // The common case: wait for the lock, run, release.
 * client.withLock("nightly-report", Duration.ofMinutes(2), lease -> render(lease.fence()));
 *
 * // Or hold the lease yourself.
 * try (Lease lease = client.acquire("ci-env-1", Duration.ofSeconds(60), Duration.ofSeconds(30), List.of("job 4711"))) {
 *     lease.addListener((l, why) -> stopWork());
 *     runTests(lease.fence());
 * }
 * }</pre>
 *
 * <p>Every mutating call carries an {@code Idempotency-Key}; the client's own retries (transport
 * errors, 5xx, 429, 503 with {@code Retry-After}) reuse it, so a retried acquire returns the first
 * grant and never takes a second lock. A {@code 202 Accepted} is followed to its
 * {@code /api/v1/requests/{id}} until the answer is final.
 *
 * <p>Thread-safe; make one per process and share it. {@link #close()} releases the leases it still
 * holds. Every method throws {@link MutexifyException} (unchecked) when the call fails.
 */
public final class MutexifyClient implements AutoCloseable {
    /** The largest page of the slot list the server answers. */
    public static final int MAX_SLOT_PAGE = SlotCalls.MAX_PAGE;

    private final Duration defaultWait;
    private final ExecutorService httpThreads;
    private final Leases leases;
    private final LockCalls locks;
    private final SlotCalls slots;
    private volatile boolean closed;

    MutexifyClient(MutexifyClientBuilder.Settings b) {
        this.defaultWait = b.defaultWait();
        HttpClient http = b.httpClient();
        if (http == null) {
            this.httpThreads = Executors.newCachedThreadPool(Leases.daemon("mutexify-http"));
            http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(b.connectTimeout())
                    .executor(httpThreads)
                    .build();
        } else {
            this.httpThreads = null;
        }
        Transport transport = new Transport(http, b.baseUrl(), b.bearer(), b.requestTimeout(), b.retries());
        this.leases = new Leases(transport, b.lossMargin());
        this.locks = new LockCalls(transport, leases, b.owner());
        this.slots = new SlotCalls(transport);
    }

    /** A builder; only {@link MutexifyClientBuilder#baseUrl} is required. */
    public static MutexifyClientBuilder builder() {
        return new MutexifyClientBuilder();
    }

    // ---- locks ----

    /**
     * Acquires {@code slot}, waiting up to {@code wait} in the slot's fair line if it is held.
     *
     * @param slot     the slot id (registered on first use if the server allows it)
     * @param ttl      the lock's time to live, renewed by the lease (whole seconds, rounded up); null for the slot's default
     * @param wait     how long to wait if it is held; {@link Duration#ZERO} to fail at once
     * @param metadata free text attached to the lock; may be empty
     * @return a started, valid lease
     * @throws AcquireTimeoutException if {@code wait} was positive and the lock did not come in time
     * @throws LockHeldException       if {@code wait} was zero and someone holds the lock
     * @throws MutexifyException       for any other failure (bad input, not allowed, unreachable)
     */
        public Lease acquire(String slot, Duration ttl, Duration wait, List<String> metadata) {
        return acquire(LockRequest.of(slot, ttl).withWait(wait).withMetadata(metadata));
    }

    /** Acquires as {@code request} says; see {@link #acquire(String, Duration, Duration, List)}. */
        public Lease acquire(LockRequest request) {
        ensureOpen();
        return locks.acquire(request);
    }

    /**
     * Acquires {@code slot} if it is free now.
     *
     * @return the lease, or empty if someone holds the lock
     */
        public Optional<Lease> tryAcquire(String slot, Duration ttl) {
        return tryAcquire(LockRequest.of(slot, ttl));
    }

    /**
     * Acquires {@code slot}, waiting up to {@code wait}.
     *
     * @return the lease, or empty if the lock did not come in time
     */
        public Optional<Lease> tryAcquire(String slot, Duration ttl, Duration wait, List<String> metadata) {
        return tryAcquire(LockRequest.of(slot, ttl).withWait(wait).withMetadata(metadata));
    }

    /** Acquires as {@code request} says; empty if the lock is held (or did not come within the wait). */
        public Optional<Lease> tryAcquire(LockRequest request) {
        try {
            return Optional.of(acquire(request));
        } catch (LockHeldException e) {
            return Optional.empty();
        }
    }

    /**
     * Runs {@code action} while holding {@code slot}: waits up to the
     * {@linkplain MutexifyClientBuilder#defaultWait(Duration) default wait} for the lock, renews it while the action
     * runs, and releases it afterwards.
     *
     * @return what the action returned
     * @throws LockLostException       if the lease was lost before the action finished: its result
     *                                 was not produced under the lock
     * @throws AcquireTimeoutException if the lock did not come in time (the action did not run)
     * @throws E                       whatever the action throws (the lock is released first)
     */
        public <T, E extends Exception> T withLock(String slot, Duration ttl, LockedAction<T, E> action) throws E {
        return withLock(LockRequest.of(slot, ttl).withWait(defaultWait), action);
    }

    /** {@link #withLock(String, Duration, LockedAction)} with every acquire option. */
        public <T, E extends Exception> T withLock(LockRequest request, LockedAction<T, E> action) throws E {
        ensureOpen();
        return locks.withLock(request, action);
    }

    /** Who holds {@code slot} now (public view, no token); empty when it is free. */
        public Optional<LockInfo> status(String slot) {
        return locks.status(slot);
    }

    /**
     * The lock that {@code token} holds on {@code slot}, with the token.
     *
     * @throws NotFoundException if the token does not hold the slot now
     */
        public LockInfo lock(String slot, String token) {
        return locks.lock(slot, token);
    }

    /**
     * Extends a lock held with {@code token} by hand: its expiry becomes now + {@code ttl} (server
     * time). A {@link Lease} does this by itself; this is for locks held across processes (the CLI).
     *
     * @throws NotFoundException if the token does not hold the slot now
     */
        public LockInfo extend(String slot, String token, Duration ttl) {
        return locks.extend(slot, token, ttl);
    }

    /**
     * Releases a lock held with {@code token} by hand (a {@link Lease} releases itself on close).
     *
     * @throws NotFoundException if the token does not hold the slot now
     */
        public void release(String slot, String token) {
        locks.release(slot, token);
    }

    // ---- slots ----

    /** Every slot the caller may see, with its state, read page by page. */
    public List<SlotInfo> slots() {
        return slots.slots();
    }

    /**
     * One page of the slots the caller may see, by id: at most {@code limit} (1 to 1000) after slot
     * {@code after} ({@code null} for the first page).
     */
    public SlotPage slotPage(int limit, String after) {
        return slots.page(limit, after);
    }

    /**
     * One slot, with its state and change index ({@link SlotInfo#version()}).
     *
     * @throws NotFoundException if it is not registered
     */
        public SlotInfo slot(String id) {
        return slots.slot(id);
    }

    /**
     * Waits until {@code id} changes after {@code index}, or {@code wait} passes (a long poll), and
     * returns the slot as it is then. It changed if the result's {@link SlotInfo#version()} is
     * greater than {@code index}; pass that version to the next call to follow every change.
     *
     * <pre>{@code
     * SlotInfo s = client.slot("staging");
     * while (true) {
     *     s = client.watch("staging", s.version(), Duration.ofSeconds(30));
     *     System.out.println(s.state());
     * }
     * }</pre>
     *
     * @param wait at most 5 minutes
     * @throws NotFoundException if the slot is not (or no longer) registered
     */
        public SlotInfo watch(String id, long index, Duration wait) {
        return slots.watch(id, index, wait);
    }

    /**
     * Registers a slot.
     *
     * @throws MutexifyException with status 409 ({@code slot_exists}) if it exists, 400 if the spec is invalid
     */
        public SlotInfo createSlot(SlotSpec spec) {
        return slots.createSlot(spec);
    }

    /**
     * Deletes a slot (owners only).
     *
     * @throws MutexifyException with status 409 ({@code slot_held}) while it is held; {@link NotFoundException} if not registered
     */
        public void deleteSlot(String id) {
        slots.deleteSlot(id);
    }

    /**
     * Force-releases whoever holds {@code slot} (owners only); in a pool, every live hold. The
     * holder's lease learns it at its next renewal and reports the loss.
     *
     * @param reason why, for the audit history; may be null
     * @return the lock that was broken (public view; in a pool the first of them)
     * @throws NotFoundException if the slot is not held or not registered
     */
        public LockInfo breakLock(String slot, String reason) {
        return slots.breakUnit(slot, null, reason);
    }

    /**
     * Force-releases the hold of one named {@code unit} of a pool (owners only); null breaks every hold.
     *
     * @throws NotFoundException if that unit is not held or the slot is not registered
     */
        public LockInfo breakUnit(String slot, String unit, String reason) {
        return slots.breakUnit(slot, unit, reason);
    }

    /** Releases every lease still held through this client and stops its threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        leases.closeAll();
        if (httpThreads != null) {
            httpThreads.shutdown();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this MutexifyClient is closed");
        }
    }
}
