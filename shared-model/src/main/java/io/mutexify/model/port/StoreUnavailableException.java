package io.mutexify.model.port;

/**
 * The store could not do what was asked, for now (a full disk, a failed fsync, an unreachable
 * database). For a write the outcome may be unknown; nothing may be acknowledged on it. Callers
 * answer 503 and clients retry under the same request id, which idempotency makes safe.
 */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message) {
        super(message);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
