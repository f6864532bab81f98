package io.mutexify.model.slot;

import java.time.Instant;
import java.util.List;

/** The current grant on a slot: who holds it, with which token and fence, until when. */
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
        Instant expireAt) {

    public Hold {
        metadata = List.copyOf(metadata);
    }

    /** A hold past its expiry is over for every purpose, whether or not the expiry command ran yet. */
    public boolean isLiveAt(Instant now) {
        return now.isBefore(expireAt);
    }

    public Hold extendedTo(int newTimeout, Instant now) {
        return new Hold(id, owner, principal, token, fence, newTimeout, metadata, createdAt, now,
                now.plusSeconds(newTimeout));
    }
}
