package io.mutexify.model.slot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * An acquire that is waiting in line; it is granted only while {@code now < waitUntil}. {@code unit}
 * is the named unit it asked for, null for any.
 */
public record Waiter(
        String requestId,
        String owner,
        String principal,
        int timeout,
        List<String> metadata,
        Instant enqueuedAt,
        Instant waitUntil,
        @JsonInclude(JsonInclude.Include.NON_NULL) String unit) {

    public Waiter {
        metadata = List.copyOf(metadata);
    }

    /** A waiter for any unit. */
    public Waiter(String requestId, String owner, String principal, int timeout, List<String> metadata,
                  Instant enqueuedAt, Instant waitUntil) {
        this(requestId, owner, principal, timeout, metadata, enqueuedAt, waitUntil, null);
    }

    public boolean isWaitingAt(Instant now) {
        return now.isBefore(waitUntil);
    }
}
