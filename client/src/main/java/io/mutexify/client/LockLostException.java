package io.mutexify.client;

/**
 * A lease ended before the work it protected was done: thrown by
 * {@link MutexifyClient#withLock withLock} when the lease was lost while the action ran, so the
 * action's outcome must not be trusted as if it had been done under the lock.
 */
public class LockLostException extends MutexifyException {
    private static final long serialVersionUID = 1L;

    private final transient LeaseEnd end;

    /** The lease on {@code slot} ended as {@code end} says. */
    public LockLostException(String slot, LeaseEnd end) {
        super(0, "lock_lost", "lock on " + slot + " was lost: " + end, end.cause());
        this.end = end;
    }

    /** Why and when the lease ended. */
    public LeaseEnd end() {
        return end;
    }
}
