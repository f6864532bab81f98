package io.mutexify.model.port;

import io.mutexify.model.auth.ApiKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where API keys are kept. Keys are not slots: they change outside the Lockkeeper's queue, and
 * none of these calls needs ordering with slot commands.
 */
public interface ApiKeyStore {
    /** Stores a new key; fails if its id is taken. */
    void create(ApiKey key);

    /** The keys {@code principal} made and has not revoked, oldest first. */
    List<ApiKey> list(String principal);

    /** The key with {@code id}, revoked or not. */
    Optional<ApiKey> find(String id);

    /** Marks the key revoked at {@code at}; false if there is no such key or it was already revoked. */
    boolean revoke(String id, Instant at);

    /** Records that the key was used at {@code at}; best effort, and may land a little later. */
    void touch(String id, Instant at);
}
