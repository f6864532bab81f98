package io.mutexify.model.slot;

import java.time.Instant;
import java.util.List;

/** An acquire that is waiting in line; it is granted only while {@code now < waitUntil}. */
public record Waiter(
        String requestId,
        String owner,
        String principal,
        int timeout,
        List<String> metadata,
        Instant enqueuedAt,
        Instant waitUntil) {

    public Waiter {
        metadata = List.copyOf(metadata);
    }

    public boolean isWaitingAt(Instant now) {
        return now.isBefore(waitUntil);
    }
}
