package io.mutexify.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

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
    /**
     * The longest wait the server takes in one acquire (24 h); longer waits join the line again. A
     * wait beyond one call's limit is answered 202 and long-polled at its request, keeping its place.
     */
    private static final int MAX_SERVER_WAIT_SECONDS = 86_400;
    private static final Duration MAX_WATCH = Duration.ofMinutes(5);
    /** The largest page of the slot list the server answers. */
    public static final int MAX_SLOT_PAGE = 1000;

    private final Transport transport;
    private final String owner;
    private final Duration lossMargin;
    private final Duration defaultWait;
    private final ScheduledThreadPoolExecutor timers;
    private final ExecutorService workers;
    private final ExecutorService httpThreads;
    private final Set<Lease> active = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private MutexifyClient(Builder b) {
        this.owner = b.owner;
        this.lossMargin = b.lossMargin;
        this.defaultWait = b.defaultWait;
        this.timers = new ScheduledThreadPoolExecutor(1, daemon("mutexify-lease-timer"));
        timers.setRemoveOnCancelPolicy(true);
        this.workers = Executors.newCachedThreadPool(daemon("mutexify-lease-worker"));
        HttpClient http = b.httpClient;
        if (http == null) {
            this.httpThreads = Executors.newCachedThreadPool(daemon("mutexify-http"));
            http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(b.connectTimeout)
                    .executor(httpThreads)
                    .build();
        } else {
            this.httpThreads = null;
        }
        this.transport = new Transport(http, b.baseUrl, b.bearer, b.requestTimeout, b.maxRetries, b.retryBackoff);
    }

    /** A builder; only {@link Builder#baseUrl} is required. */
    public static Builder builder() {
        return new Builder();
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
        String slot = Wire.slot(request.slot());
        Integer ttlSeconds = request.ttl() == null ? null : Wire.seconds(request.ttl(), "ttl");
        long waitNanos = request.waitTime().toNanos();
        long start = System.nanoTime();
        for (int round = 1; ; round++) {
            long left = waitNanos - (System.nanoTime() - start);
            int waitSeconds = left <= 0 ? 0 : (int) Math.min(MAX_SERVER_WAIT_SECONDS, (left + 999_999_999L) / 1_000_000_000L);
            ObjectNode body = Wire.MAPPER.createObjectNode();
            String ownerLabel = request.owner() != null ? request.owner() : owner;
            if (ownerLabel != null) {
                body.put("owner", ownerLabel);
            }
            if (ttlSeconds != null) {
                body.put("timeout", ttlSeconds);
            }
            if (!request.metadata().isEmpty()) {
                ArrayNode m = body.putArray("metadata");
                request.metadata().forEach(m::add);
            }
            body.put("wait", waitSeconds);
            if (request.unit() != null) {
                body.put("unit", request.unit());
            }
            String key = request.idempotencyKey() == null ? newKey()
                    : round == 1 ? request.idempotencyKey() : request.idempotencyKey() + "#" + round;
            Transport.Response r = transport.call(new Transport.Call("POST", "/api/v1/locks/" + slot, body, key),
                    transport.requestTimeout().plusSeconds(waitSeconds));
            if (r.status() == 200) {
                LockInfo granted = Wire.lock(r.json());
                if (granted == null || granted.token() == null) {
                    throw new MutexifyException(200, "bad_answer", "the server granted " + slot + " without a lock token");
                }
                Lease lease = new Lease(this, granted, r.firstSentNanos());
                active.add(lease);
                try {
                    lease.start(request.idempotencyKey() != null);
                } catch (RuntimeException e) {
                    active.remove(lease);
                    throw e;
                }
                return lease;
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
     * {@linkplain Builder#defaultWait(Duration) default wait} for the lock, renews it while the action
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

    /** Who holds {@code slot} now (public view, no token); empty when it is free. */
    public Optional<LockInfo> status(String slot) {
        Transport.Response r = transport.call(Transport.Call.get("/api/v1/locks/" + Wire.slot(slot)), transport.requestTimeout());
        if (r.status() == 200) {
            return Optional.of(Wire.lock(r.json()));
        }
        if (r.status() == 404 && "not_held".equals(r.errorCode())) {
            return Optional.empty();
        }
        throw Transport.errorFor(r, slot);
    }

    /**
     * The lock that {@code token} holds on {@code slot}, with the token.
     *
     * @throws NotFoundException if the token does not hold the slot now
     */
    public LockInfo lock(String slot, String token) {
        return lockAnswer(slot, transport.call(Transport.Call.get(lockPath(slot, token)), transport.requestTimeout()));
    }

    /**
     * Extends a lock held with {@code token} by hand: its expiry becomes now + {@code ttl} (server
     * time). A {@link Lease} does this by itself; this is for locks held across processes (the CLI).
     *
     * @throws NotFoundException if the token does not hold the slot now
     */
    public LockInfo extend(String slot, String token, Duration ttl) {
        ObjectNode body = Wire.MAPPER.createObjectNode().put("timeout", Wire.seconds(ttl, "ttl"));
        return lockAnswer(slot, transport.call(new Transport.Call("PUT", lockPath(slot, token), body, newKey()),
                transport.requestTimeout()));
    }

    /**
     * Releases a lock held with {@code token} by hand (a {@link Lease} releases itself on close).
     *
     * @throws NotFoundException if the token does not hold the slot now
     */
    public void release(String slot, String token) {
        Transport.Response r = transport.call(new Transport.Call("DELETE", lockPath(slot, token), null, newKey()),
                transport.requestTimeout());
        if (r.status() != 204) {
            throw Transport.errorFor(r, slot);
        }
    }

    // ---- slots ----

    /** Every slot the caller may see, with its state, read page by page. */
    public List<SlotInfo> slots() {
        List<SlotInfo> out = new ArrayList<>();
        String after = null;
        do {
            SlotPage page = slotPage(MAX_SLOT_PAGE, after);
            out.addAll(page.slots());
            after = page.next();
        } while (after != null);
        return out;
    }

    /**
     * One page of the slots the caller may see, by id: at most {@code limit} (1 to 1000) after slot
     * {@code after} ({@code null} for the first page).
     */
    public SlotPage slotPage(int limit, String after) {
        if (limit < 1 || limit > MAX_SLOT_PAGE) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_SLOT_PAGE + ": " + limit);
        }
        String path = "/api/v1/slots?limit=" + limit + (after == null ? "" : "&after=" + Wire.slot(after));
        Transport.Response r = transport.call(Transport.Call.get(path), transport.requestTimeout());
        if (r.status() != 200) {
            throw Transport.errorFor(r, null);
        }
        List<SlotInfo> slots = new ArrayList<>();
        for (JsonNode n : r.json().path("slots")) {
            slots.add(Wire.slot(n));
        }
        JsonNode next = r.json().path("next");
        return new SlotPage(slots, next.isTextual() ? next.asText() : null);
    }

    /**
     * One slot, with its state and change index ({@link SlotInfo#version()}).
     *
     * @throws NotFoundException if it is not registered
     */
    public SlotInfo slot(String id) {
        return slotAnswer(id, transport.call(Transport.Call.get("/api/v1/slots/" + Wire.slot(id)), transport.requestTimeout()));
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
        if (index < 0 || wait.isNegative() || wait.compareTo(MAX_WATCH) > 0) {
            throw new IllegalArgumentException("index must be >= 0 and wait from 0 to 5 minutes");
        }
        String path = "/api/v1/slots/" + Wire.slot(id) + "?index=" + index + "&wait=" + wait.toMillis() + "ms";
        return slotAnswer(id, transport.call(Transport.Call.get(path), transport.requestTimeout().plus(wait)));
    }

    /**
     * Registers a slot.
     *
     * @throws MutexifyException with status 409 ({@code slot_exists}) if it exists, 400 if the spec is invalid
     */
    public SlotInfo createSlot(SlotSpec spec) {
        ObjectNode body = Wire.MAPPER.createObjectNode().put("id", Wire.slot(spec.id()));
        if (spec.name() != null) {
            body.put("name", spec.name());
        }
        if (spec.description() != null) {
            body.put("description", spec.description());
        }
        if (spec.owners() != null) {
            spec.owners().forEach(body.putArray("owners")::add);
        }
        if (spec.members() != null) {
            spec.members().forEach(body.putArray("members")::add);
        }
        if (spec.defaultTimeout() != null) {
            body.put("defaultTimeout", spec.defaultTimeout());
        }
        if (spec.maxTimeout() != null) {
            body.put("maxTimeout", spec.maxTimeout());
        }
        SlotSpec.putPool(spec, body);
        Transport.Response r = transport.call(new Transport.Call("POST", "/api/v1/slots", body, newKey()), transport.requestTimeout());
        if (r.status() != 201) {
            throw Transport.errorFor(r, spec.id());
        }
        return Wire.slot(r.json());
    }

    /**
     * Deletes a slot (owners only).
     *
     * @throws MutexifyException with status 409 ({@code slot_held}) while it is held; {@link NotFoundException} if not registered
     */
    public void deleteSlot(String id) {
        Transport.Response r = transport.call(new Transport.Call("DELETE", "/api/v1/slots/" + Wire.slot(id), null, newKey()),
                transport.requestTimeout());
        if (r.status() != 204) {
            throw Transport.errorFor(r, id);
        }
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
        return breakUnit(slot, null, reason);
    }

    /**
     * Force-releases the hold of one named {@code unit} of a pool (owners only); null breaks every hold.
     *
     * @throws NotFoundException if that unit is not held or the slot is not registered
     */
    public LockInfo breakUnit(String slot, String unit, String reason) {
        ObjectNode body = Wire.MAPPER.createObjectNode();
        if (reason != null) {
            body.put("reason", reason);
        }
        if (unit != null) {
            body.put("unit", unit);
        }
        Transport.Response r = transport.call(new Transport.Call("POST", "/api/v1/slots/" + Wire.slot(slot) + "/break", body, newKey()),
                transport.requestTimeout());
        if (r.status() != 200) {
            throw Transport.errorFor(r, slot);
        }
        return Wire.lock(r.json());
    }

    /** Releases every lease still held through this client and stops its threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Lease lease : List.copyOf(active)) {
            lease.close();
        }
        timers.shutdownNow();
        workers.shutdown();
        if (httpThreads != null) {
            httpThreads.shutdown();
        }
    }

    // ---- internals shared with Lease ----

    Transport transport() {
        return transport;
    }

    ScheduledThreadPoolExecutor timers() {
        return timers;
    }

    ExecutorService workers() {
        return workers;
    }

    Duration lossMargin() {
        return lossMargin;
    }

    void forget(Lease lease) {
        active.remove(lease);
    }

    static String newKey() {
        return "mx-" + UUID.randomUUID();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this MutexifyClient is closed");
        }
    }

    private static String lockPath(String slot, String token) {
        return "/api/v1/locks/" + Wire.slot(slot) + "/" + Wire.token(token);
    }

    private static LockInfo lockAnswer(String slot, Transport.Response r) {
        if (r.status() != 200) {
            throw Transport.errorFor(r, slot);
        }
        return Wire.lock(r.json());
    }

    private static SlotInfo slotAnswer(String id, Transport.Response r) {
        if (r.status() != 200) {
            throw Transport.errorFor(r, id);
        }
        SlotInfo s = Wire.slot(r.json());
        Optional<String> index = r.header("X-Mutexify-Index");
        if (index.isPresent()) {
            long v = Long.parseLong(index.get().trim());
            if (v != s.version()) {
                s = s.withVersion(v);
            }
        }
        return s;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Settings for a {@link MutexifyClient}. Defaults: connect timeout 5 s, request timeout 30 s
     * (plus any wait), 3 retries from 200 ms backoff, loss margin 1 s, default wait 60 s.
     */
    public static final class Builder {
        /** The server {@link #fromEnvironment()} and the CLI use when {@code MUTEXIFY_URL} is not set. */
        public static final String DEFAULT_URL = "http://127.0.0.1:8080";

        private URI baseUrl;
        private Supplier<String> bearer;
        private String owner = OwnerLabel.hostAndPid();
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int maxRetries = 3;
        private Duration retryBackoff = Duration.ofMillis(200);
        private Duration lossMargin = Duration.ofSeconds(1);
        private Duration defaultWait = Duration.ofSeconds(60);
        private HttpClient httpClient;

        private Builder() {
        }

        /** The server, e.g. {@code http://127.0.0.1:8080} (a path prefix is kept). Required. */
        public Builder baseUrl(URI url) {
            String scheme = url.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                throw new IllegalArgumentException("the base URL must be http or https: " + url);
            }
            this.baseUrl = url;
            return this;
        }

        /** The server, e.g. {@code http://127.0.0.1:8080}. Required. */
        public Builder baseUrl(String url) {
            return baseUrl(URI.create(url));
        }

        /** Sends {@code Authorization: Bearer <apiKey>}; null or empty sends nothing. */
        public Builder apiKey(String apiKey) {
            return bearerToken(apiKey);
        }

        /** Sends {@code Authorization: Bearer <token>} (for example a Google ID token); null or empty sends nothing. */
        public Builder bearerToken(String token) {
            this.bearer = token == null || token.isEmpty() ? null : () -> token;
            return this;
        }

        /** Asks {@code tokens} for the bearer token before every request, so short-lived tokens can be refreshed. */
        public Builder bearerToken(Supplier<String> tokens) {
            this.bearer = tokens;
            return this;
        }

        /** The default {@code owner} label of locks (host, job id); default {@code host:pid}, null leaves it to the server (the principal). */
        public Builder owner(String owner) {
            this.owner = owner;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** How long one attempt of a call may take (an acquire's wait is added). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** Retries after the first attempt for transport errors, 5xx, 429 and 503; 0 turns them off. */
        public Builder maxRetries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("maxRetries must be >= 0");
            }
            this.maxRetries = retries;
            return this;
        }

        /** The first retry's pause; it doubles per retry up to 5 s, with jitter. A {@code Retry-After} overrides it. */
        public Builder retryBackoff(Duration backoff) {
            this.retryBackoff = positive(backoff, "retryBackoff");
            return this;
        }

        /**
         * How long before its safe deadline a lease that could not be renewed is declared lost, so
         * the application has that long to stop before the lock can end on the server. Capped at a
         * quarter of each lease's time to live. Default 1 s.
         */
        public Builder lossMargin(Duration margin) {
            if (margin.isNegative()) {
                throw new IllegalArgumentException("lossMargin must not be negative");
            }
            this.lossMargin = margin;
            return this;
        }

        /** How long {@link #withLock(String, Duration, LockedAction)} waits for the lock. Default 60 s. */
        public Builder defaultWait(Duration wait) {
            if (wait.isNegative()) {
                throw new IllegalArgumentException("defaultWait must not be negative");
            }
            this.defaultWait = wait;
            return this;
        }

        /** Uses this HttpClient (for TLS or proxy settings) instead of the client's own. */
        public Builder httpClient(HttpClient client) {
            this.httpClient = client;
            return this;
        }

        /**
         * Reads {@code MUTEXIFY_URL} (default {@value #DEFAULT_URL}, as the CLI), {@code MUTEXIFY_API_KEY}
         * and {@code MUTEXIFY_OWNER} from the environment.
         */
        public Builder fromEnvironment() {
            String url = System.getenv("MUTEXIFY_URL");
            baseUrl(url != null && !url.isEmpty() ? url : DEFAULT_URL);
            String ownerLabel = System.getenv("MUTEXIFY_OWNER");
            if (ownerLabel != null && !ownerLabel.isEmpty()) {
                owner(ownerLabel);
            }
            String key = System.getenv("MUTEXIFY_API_KEY");
            if (key != null && !key.isEmpty()) {
                apiKey(key);
            }
            return this;
        }

        public MutexifyClient build() {
            Objects.requireNonNull(baseUrl, "baseUrl is required");
            return new MutexifyClient(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
