package io.mutexify.embedded.campaign;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One client operation under one {@code Idempotency-Key}: every send of it (retries, hedges,
 * polls of its request) and their answers. Thread-confined to its client until the run ends.
 */
public final class Op {
    /** What the operation does. */
    public enum Kind { ACQUIRE, EXTEND, RELEASE }

    public final Kind kind;
    public final int client;
    public final String slot;
    public final String key;
    /** The server's request id for the key (how the store files its reply). */
    public final String requestId;
    /** For an acquire, the owner label: unique per operation, so a hold in the store names its operation. */
    public final String owner;
    /** For an extend or release, the token it acts on. */
    public final String token;
    /** How an acquire was sent: {@code now} (no wait), {@code patient}, {@code impatient} or {@code hedged}; null for others. */
    public String style;
    private final List<Attempt> attempts = new ArrayList<>();

    public Op(Kind kind, int client, String slot, String key, String requestId, String owner, String token) {
        this.kind = kind;
        this.client = client;
        this.slot = slot;
        this.key = key;
        this.requestId = requestId;
        this.owner = owner;
        this.token = token;
    }

    public void add(Attempt a) {
        attempts.add(a);
    }

    public List<Attempt> attempts() {
        return attempts;
    }

    /** When the operation was first sent (its invoke time); {@code Long.MAX_VALUE} if never. */
    public long invokeNanos() {
        return attempts.stream().mapToLong(Attempt::sentNanos).min().orElse(Long.MAX_VALUE);
    }

    /** The first answer the client got, which it acts on. */
    public Optional<Attempt> answer() {
        return attempts.stream().filter(Attempt::isFinal).findFirst();
    }

    /** Whether the server acknowledged the change (200 for acquire and extend, 204 for release). */
    public boolean acknowledged() {
        return answer().map(a -> a.status() == (kind == Kind.RELEASE ? 204 : 200)).orElse(false);
    }

    /** The acknowledged lock's expiry, for a granted acquire or an extend. */
    public Instant expireAt() {
        return answer().map(Attempt::expireAt).orElse(null);
    }

    @Override
    public String toString() {
        return kind + " " + slot + " key=" + key + " client=" + client + (owner == null ? "" : " owner=" + owner)
                + (token == null ? "" : " token=" + token) + " answer=" + answer().map(Attempt::answer).orElse("none");
    }
}
