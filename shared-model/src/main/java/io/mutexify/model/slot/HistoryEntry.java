package io.mutexify.model.slot;

import java.time.Instant;

/** One finished hold of a slot, for the audit history: who, when, which fence, how it ended. */
public record HistoryEntry(
        String slotId,
        long fence,
        String owner,
        String principal,
        Instant acquiredAt,
        Instant endedAt,
        EndReason endReason,
        String endedBy) {

    /** How a hold ended. */
    public enum EndReason {
        RELEASED, EXPIRED, BROKEN;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
