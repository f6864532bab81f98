package io.mutexify.client;

import java.time.Instant;

/**
 * The lock was not granted because someone else holds it (HTTP 409 {@code locked}). Carries what
 * the server said about the holder, so the caller can decide whether to wait, retry later or give up.
 */
public class LockHeldException extends MutexifyException {
    private static final long serialVersionUID = 1L;

    private final String slot;
    private final transient LockInfo holder;

    /** {@code slot} is held by {@code holder} (public view, or null if unknown). */
    public LockHeldException(String slot, String message, LockInfo holder) {
        super(409, "locked", message);
        this.slot = slot;
        this.holder = holder;
    }

    /** The slot that was asked for. */
    public String slot() {
        return slot;
    }

    /**
     * The holder's public view of the lock (no token), or null if the slot happened to be free when
     * the server answered (a wait that ended just as the lock was released).
     */
    public LockInfo holder() {
        return holder;
    }

    /** The holder's {@code owner} label, or null. */
    public String holderOwner() {
        return holder == null ? null : holder.owner();
    }

    /** The holder's lock ends at this server time unless it is extended, or null. */
    public Instant expireAt() {
        return holder == null ? null : holder.expireAt();
    }
}
