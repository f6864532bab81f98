package io.mutexify.model.slot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** One finished hold of a slot, for the audit history: who, when, which fence and unit, how it ended. */
public record HistoryEntry(
        String slotId,
        long fence,
        String owner,
        String principal,
        Instant acquiredAt,
        Instant endedAt,
        EndReason endReason,
        String endedBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) String unit) {

    /** An entry of a hold of no named unit. */
    public HistoryEntry(String slotId, long fence, String owner, String principal, Instant acquiredAt,
                        Instant endedAt, EndReason endReason, String endedBy) {
        this(slotId, fence, owner, principal, acquiredAt, endedAt, endReason, endedBy, null);
    }

    /** How a hold ended. */
    public enum EndReason {
        RELEASED, EXPIRED, BROKEN;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
