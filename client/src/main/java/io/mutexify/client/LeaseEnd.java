package io.mutexify.client;

/**
 * How a {@link Lease} ended. A lease ends once: its holder released it
 * ({@link Reason#RELEASED}) or detached it ({@link Reason#DETACHED}), or it was lost (every other
 * reason; {@link #isLoss()}).
 *
 * @param reason  why it ended
 * @param message a human-readable explanation
 * @param cause   the last error seen while renewing, or null
 */
public record LeaseEnd(Reason reason, String message, Throwable cause) {

    /** Why a lease ended. */
    public enum Reason {
        /** The holder released it ({@link Lease#close()} or {@link Lease#release()}). Not a loss. */
        RELEASED,
        /** The holder stopped renewing it without releasing it ({@link Lease#detach()}). Not a loss. */
        DETACHED,
        /**
         * The server says the token no longer holds the slot: an owner broke the lock, it expired
         * on the server, or the slot was deleted. Someone else may hold it now.
         */
        NOT_HELD,
        /**
         * Renewal did not succeed before the lease's own deadline (the server was unreachable, slow
         * or failing). The server may still count the lock as held until it expires, but this lease
         * can no longer prove it, so it stops claiming it.
         */
        RENEWAL_FAILED,
        /** The server refused to renew for a reason other than "not held" (for example 403 forbidden). */
        RENEWAL_REFUSED
    }

    /** Whether the lease was lost rather than released by its holder. */
    public boolean isLoss() {
        return reason != Reason.RELEASED && reason != Reason.DETACHED;
    }

    @Override
    public String toString() {
        return reason + ": " + message;
    }
}
