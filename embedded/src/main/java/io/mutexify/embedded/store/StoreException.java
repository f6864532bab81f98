package io.mutexify.embedded.store;

import io.mutexify.model.port.StoreUnavailableException;

/**
 * The SQLite store could not do what was asked. For a write the outcome may be unknown (it may
 * or may not have committed); callers retry, and idempotency by request id makes that safe.
 */
public class StoreException extends StoreUnavailableException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
