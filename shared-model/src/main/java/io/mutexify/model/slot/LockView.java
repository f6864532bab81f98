package io.mutexify.model.slot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** A lock as the API shows it; {@code token} is present only for the holder, {@code unit} only in a pool of named units. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LockView(
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

    /** A lock of no named unit. */
    public LockView(String id, String resource, String owner, String principal, String token, long fence, int timeout,
                    List<String> metadata, Instant createdAt, Instant updatedAt, Instant expireAt) {
        this(id, resource, owner, principal, token, fence, timeout, metadata, createdAt, updatedAt, expireAt, null);
    }

    /** The holder's view, with the token. */
    public static LockView forHolder(String slotId, Hold hold) {
        return new LockView(hold.id(), slotId, hold.owner(), hold.principal(), hold.token(), hold.fence(),
                hold.timeout(), hold.metadata(), hold.createdAt(), hold.updatedAt(), hold.expireAt(), hold.unit());
    }

    /** This view with the token left out, for anyone but the holder. */
    public LockView withoutToken() {
        return new LockView(id, resource, owner, principal, null, fence, timeout, metadata, createdAt, updatedAt, expireAt, unit);
    }

    /** Everyone else's view: no token. */
    public static LockView forPublic(String slotId, Hold hold) {
        return new LockView(hold.id(), slotId, hold.owner(), hold.principal(), null, hold.fence(),
                hold.timeout(), hold.metadata(), hold.createdAt(), hold.updatedAt(), hold.expireAt(), hold.unit());
    }
}
