package io.mutexify.model.slot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * One grant on a slot: who holds it, with which token and fence, until when, and in a pool with
 * named units which unit it holds ({@code unit} is null otherwise).
 */
public record Hold(
        String id,
        String owner,
        String principal,
        String token,
        long fence,
        int timeout,
        List<String> metadata,
        Instant createdAt,
        Instant updatedAt,
        Instant expireAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String unit) {

    public Hold {
        metadata = List.copyOf(metadata);
    }

    /** A hold of no named unit. */
    public Hold(String id, String owner, String principal, String token, long fence, int timeout,
                List<String> metadata, Instant createdAt, Instant updatedAt, Instant expireAt) {
        this(id, owner, principal, token, fence, timeout, metadata, createdAt, updatedAt, expireAt, null);
    }

    /** A hold past its expiry is over for every purpose, whether or not the expiry command ran yet. */
    public boolean isLiveAt(Instant now) {
        return now.isBefore(expireAt);
    }

    public Hold extendedTo(int newTimeout, Instant now) {
        return new Hold(id, owner, principal, token, fence, newTimeout, metadata, createdAt, now,
                now.plusSeconds(newTimeout), unit);
    }
}
