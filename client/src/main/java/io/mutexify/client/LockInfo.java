package io.mutexify.client;

import java.time.Instant;
import java.util.List;

/**
 * A lock as the server shows it. {@code token} is present only in the holder's own view (the
 * answer to an acquire or extend, or {@link MutexifyClient#lock}); everyone else sees null.
 * Times are the server's.
 *
 * @param id        the grant's id
 * @param resource  the slot id
 * @param owner     the free label the holder gave (host, job id), defaulting to its principal
 * @param principal the authenticated identity that holds it
 * @param token     the secret that extends and releases this grant, or null in a public view
 * @param fence     the fencing token: grows with every grant of the slot, never goes back
 * @param timeout   the lock's time to live in seconds, counted from the last acquire or extend
 * @param metadata  free text the holder attached
 * @param createdAt when it was granted (server time)
 * @param updatedAt when it was last extended (server time)
 * @param expireAt  when it ends unless extended (server time)
 * @param unit      the unit of a pool with named units this grant holds, or null
 */
public record LockInfo(
        String id,
        String resource,
        String owner,
        String principal,
        String token,
        long fence,
        int timeout,
        List<String> metadata,
        Instant createdAt,
        Instant updatedAt,
        Instant expireAt,
        String unit) {

    /** Copies {@code metadata}; null becomes empty. */
    public LockInfo {
        metadata = metadata == null ? List.of() : List.copyOf(metadata);
    }

    /** A lock of no named unit. */
    public LockInfo(String id, String resource, String owner, String principal, String token, long fence, int timeout,
                    List<String> metadata, Instant createdAt, Instant updatedAt, Instant expireAt) {
        this(id, resource, owner, principal, token, fence, timeout, metadata, createdAt, updatedAt, expireAt, null);
    }

    /** Never prints the token: it is a secret. */
    @Override
    public String toString() {
        return "LockInfo[resource=" + resource + ", owner=" + owner + ", principal=" + principal + ", fence=" + fence
                + ", timeout=" + timeout + ", expireAt=" + expireAt + (unit == null ? "" : ", unit=" + unit) + (token == null ? "" : ", token=***") + "]";
    }
}
