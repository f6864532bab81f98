package io.mutexify.client;

/**
 * The server answered 404: the slot is not registered ({@code slot_not_found}), the token does
 * not hold the slot (any more) ({@code lock_not_found}), or the slot is not held ({@code not_held}).
 */
public class NotFoundException extends MutexifyException {
    private static final long serialVersionUID = 1L;

    /** A 404 with the server's error {@code code} and message. */
    public NotFoundException(String code, String message) {
        super(404, code, message);
    }
}
