package io.mutexify.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything an acquire can say: the slot, the lock's time to live, how long to wait in line, and
 * optionally metadata, an owner label and an idempotency key. Immutable; build it with
 * {@link #of(String, Duration)} and the {@code with…} methods.
 *
 * <pre>{@code
 * LockRequest req = LockRequest.of("deploy-prod", Duration.ofMinutes(5))
 *         .withWait(Duration.ofSeconds(30))
 *         .withOwner("pipeline-881")
 *         .withIdempotencyKey("pipeline-881-deploy");
 * }</pre>
 */
public final class LockRequest {
    private final String slot;
    private final Duration ttl;
    private final Duration wait;
    private final List<String> metadata;
    private final String owner;
    private final String idempotencyKey;
    private final String unit;

    private LockRequest(String slot, Duration ttl, Duration wait, List<String> metadata, String owner, String idempotencyKey) {
        this(slot, ttl, wait, metadata, owner, idempotencyKey, null);
    }

    private LockRequest(String slot, Duration ttl, Duration wait, List<String> metadata, String owner, String idempotencyKey,
                        String unit) {
        this.slot = Objects.requireNonNull(slot, "slot");
        this.ttl = ttl;
        this.wait = Objects.requireNonNull(wait, "wait");
        if (wait.isNegative()) {
            throw new IllegalArgumentException("wait must not be negative");
        }
        this.metadata = metadata == null ? List.of() : List.copyOf(metadata);
        this.owner = owner;
        this.idempotencyKey = idempotencyKey;
        this.unit = unit;
    }

    /**
     * A request for {@code slot} with time to live {@code ttl} (whole seconds, rounded up; null
     * means the slot's default timeout), not waiting.
     */
    public static LockRequest of(String slot, Duration ttl) {
        return new LockRequest(slot, ttl, Duration.ZERO, List.of(), null, null);
    }

    /**
     * How long to wait for the lock if it is held. Up to 60 s the caller keeps one place in the
     * slot's fair (FIFO) line; a longer wait joins the line again every 60 s.
     */
    public LockRequest withWait(Duration newWait) {
        return new LockRequest(slot, ttl, newWait, metadata, owner, idempotencyKey, unit);
    }

    /** Free text to attach to the lock (at most 4 KiB in all). */
    public LockRequest withMetadata(List<String> newMetadata) {
        return new LockRequest(slot, ttl, wait, newMetadata, owner, idempotencyKey, unit);
    }

    /** The owner label (host, job id); overrides the client's default owner. */
    public LockRequest withOwner(String newOwner) {
        return new LockRequest(slot, ttl, wait, metadata, newOwner, idempotencyKey, unit);
    }

    /**
     * The {@code Idempotency-Key} of this acquire (1–240 visible ASCII characters). Sending the
     * same request again with the same key returns the first answer — the same grant — and never
     * takes a second lock. Without one the client makes a fresh key per call (and reuses it for its
     * own retries of that call). With a key of your own the client renews the grant once before
     * handing out the lease, because the answer may be a stored grant whose clock started earlier.
     */
    public LockRequest withIdempotencyKey(String key) {
        if (key != null && (key.isEmpty() || key.length() > 240 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw new IllegalArgumentException("an idempotency key is 1-240 visible ASCII characters");
        }
        return new LockRequest(slot, ttl, wait, metadata, owner, key, unit);
    }

    /** In a pool with named units, the one unit wanted ({@code ci-env-2}); without it any free unit is granted. */
    public LockRequest withUnit(String newUnit) {
        return new LockRequest(slot, ttl, wait, metadata, owner, idempotencyKey, newUnit);
    }

    public String slot() {
        return slot;
    }

    /** The unit asked for, or null for any. */
    public String unit() {
        return unit;
    }

    /** The requested time to live, or null for the slot's default. */
    public Duration ttl() {
        return ttl;
    }

    public Duration waitTime() {
        return wait;
    }

    public List<String> metadata() {
        return metadata;
    }

    /** The owner label, or null for the client's default. */
    public String owner() {
        return owner;
    }

    /** The caller's idempotency key, or null. */
    public String idempotencyKey() {
        return idempotencyKey;
    }
}
