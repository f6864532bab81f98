package io.mutexify.azure.cosmos;

import io.mutexify.model.port.StoreUnavailableException;

/**
 * The Cosmos DB store could not do what was asked. For a write the outcome may be unknown (it may
 * or may not have committed); callers retry, and idempotency by request id makes that safe.
 * Messages carry status codes and activity ids, never keys or tokens.
 */
public class CosmosStoreException extends StoreUnavailableException {
    private final int statusCode;

    public CosmosStoreException(String message) {
        this(message, 0, null);
    }

    public CosmosStoreException(String message, int statusCode, Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
    }

    /** The Cosmos DB status code behind this failure, 0 if there was none. */
    public int statusCode() {
        return statusCode;
    }
}
