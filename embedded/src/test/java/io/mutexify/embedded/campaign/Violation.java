package io.mutexify.embedded.campaign;

/** One broken promise the checker found. */
public record Violation(Kind kind, String detail) {

    /** The promises the campaign checks. */
    public enum Kind {
        /** Two grants' surely-held intervals on one slot overlap. */
        OVERLAP,
        /** One fence on one slot for two different grants. */
        FENCE_REUSED,
        /** A grant that began after another ended has a fence not above it (history or store order). */
        FENCE_ORDER,
        /** An acknowledged grant, release or extend is not reflected in the store. */
        LOST_ACK,
        /** One Idempotency-Key got two different answers (from the server or the store), or was granted after being refused. */
        TWO_ANSWERS,
        /** A committed change has no delivered CloudEvent. */
        EVENT_MISSING,
        /** One CloudEvent id carried two different events. */
        EVENT_ID_REUSED,
        /** A 5xx other than 503 with Retry-After. */
        BAD_5XX
    }

    @Override
    public String toString() {
        return kind + ": " + detail;
    }
}
