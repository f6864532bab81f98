package io.mutexify.client;

import java.time.Duration;

/**
 * The lock was not acquired within the requested wait: the caller waited in the slot's line and
 * the wait ended before the lock came to it. A subtype of {@link LockHeldException}, so code that
 * handles "held by someone else" handles this too.
 */
public class AcquireTimeoutException extends LockHeldException {
    private static final long serialVersionUID = 1L;

    private final Duration waited;

    /** The wait for {@code slot} ended; {@code holder} is who held it then (or null). */
    public AcquireTimeoutException(String slot, Duration waited, LockInfo holder) {
        super(slot, "lock on " + slot + " not acquired within " + waited.toMillis() + " ms"
                + (holder == null ? "" : "; held by " + holder.owner() + " until " + holder.expireAt()), holder);
        this.waited = waited;
    }

    /** How long the caller was prepared to wait. */
    public Duration waited() {
        return waited;
    }
}
