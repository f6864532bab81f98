package io.mutexify.model.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored API key: everything but its secret, of which only the SHA-256 hash is kept.
 * {@code expiresAt}, {@code lastUsedAt} and {@code revokedAt} are null when not set.
 */
public record ApiKey(
        String id,
        String principal,
        String name,
        String secretHash,
        Instant createdAt,
        Instant expiresAt,
        Instant lastUsedAt,
        Instant revokedAt) {

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Whether the key may authenticate a call at {@code now}: not revoked and not expired. */
    public boolean isUsableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
