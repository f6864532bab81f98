package io.mutexify.frontface.keys;

import io.mutexify.frontface.http.ApiException;
import io.mutexify.model.auth.ApiKey;
import io.mutexify.model.port.ApiKeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The key store of a host that keeps no keys: none exist, and none can be made. */
public enum NoKeys implements ApiKeyStore {
    INSTANCE;

    @Override
    public void create(ApiKey key) {
        throw new ApiException(501, "keys_unsupported", "this server keeps no API keys");
    }

    @Override
    public List<ApiKey> list(String principal) {
        return List.of();
    }

    @Override
    public Optional<ApiKey> find(String id) {
        return Optional.empty();
    }

    @Override
    public boolean revoke(String id, Instant at) {
        return false;
    }

    @Override
    public void touch(String id, Instant at) {
        // nothing is stored, so nothing to record
    }
}
