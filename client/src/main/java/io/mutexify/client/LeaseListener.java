package io.mutexify.client;

/**
 * Told when a {@link Lease} is lost. Called once, on a client thread, as soon as the loss is known
 * (before the lease's safe deadline); not called when the holder releases the lease. Keep it short
 * and do not block: stop the protected work, or signal the thread doing it.
 */
@FunctionalInterface
public interface LeaseListener {
    /**
     * The lease was lost.
     *
     * @param lease the lost lease (no longer valid)
     * @param end   why it was lost
     */
    void onLost(Lease lease, LeaseEnd end);
}
