package io.mutexify.lockkeeper.outbox;

/**
 * Thrown by an {@code EventPublisher} that delivered the first {@link #delivered()} events of a
 * list, in order, and then failed; the relay moves its cursor past those so they are not sent twice.
 */
public class PartialDeliveryException extends Exception {
    private final int delivered;

    public PartialDeliveryException(int delivered, String message, Throwable cause) {
        super(message, cause);
        if (delivered < 0) {
            throw new IllegalArgumentException("delivered must not be negative");
        }
        this.delivered = delivered;
    }

    public int delivered() {
        return delivered;
    }
}
