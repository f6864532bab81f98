package io.mutexify.model.slot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * An acquire that is waiting in line; it is granted only while {@code now < waitUntil}. {@code unit}
 * is the named unit it asked for, null for any.
 *
 * <p>A long wait (one that outlasts the call that asked, so its client polls the request) also has
 * {@code pollBy}: it is granted only while {@code now < pollBy}, and each poll moves {@code pollBy}
 * on. {@code pollCheckAt} is when the timer that checks it fires; it lags {@code pollBy}, so polls
 * need no timer of their own. Both are null for a wait its one call holds whole.
 */
public record Waiter(
        String requestId,
        String owner,
        String principal,
        int timeout,
        List<String> metadata,
        Instant enqueuedAt,
        Instant waitUntil,
        @JsonInclude(JsonInclude.Include.NON_NULL) String unit,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant pollBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant pollCheckAt) {

    public Waiter {
        metadata = List.copyOf(metadata);
    }

    /** A waiter its one call holds whole (no polls). */
    public Waiter(String requestId, String owner, String principal, int timeout, List<String> metadata,
                  Instant enqueuedAt, Instant waitUntil, String unit) {
        this(requestId, owner, principal, timeout, metadata, enqueuedAt, waitUntil, unit, null, null);
    }

    /** A waiter for any unit. */
    public Waiter(String requestId, String owner, String principal, int timeout, List<String> metadata,
                  Instant enqueuedAt, Instant waitUntil) {
        this(requestId, owner, principal, timeout, metadata, enqueuedAt, waitUntil, null);
    }

    /** Still in line at {@code now}: its wait has not ended and, for a long wait, it was polled in time. */
    public boolean isWaitingAt(Instant now) {
        return now.isBefore(waitUntil) && !isUnpolledAt(now);
    }

    /** A long wait whose client stopped polling before {@code now}. */
    public boolean isUnpolledAt(Instant now) {
        return pollBy != null && !now.isBefore(pollBy);
    }

    public boolean isLongWait() {
        return pollBy != null;
    }

    /** The same waiter with its poll deadline and check time set. */
    public Waiter withPolls(Instant newPollBy, Instant newPollCheckAt) {
        return new Waiter(requestId, owner, principal, timeout, metadata, enqueuedAt, waitUntil, unit, newPollBy,
                newPollCheckAt);
    }
}
