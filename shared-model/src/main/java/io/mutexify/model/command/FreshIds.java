package io.mutexify.model.command;

/**
 * Request ids made at random for one call ({@code r-…}, a call without an Idempotency-Key). Such
 * an id is sent once, so on its first delivery no reply can be stored under it yet and the
 * Lockkeeper need not look one up; a redelivery still does.
 */
public final class FreshIds {
    /** The prefix of a random, single-call request id. */
    public static final String PREFIX = "r-";

    private FreshIds() {
    }

    /** Whether {@code requestId} was made at random for a single call. */
    public static boolean isFresh(String requestId) {
        return requestId != null && requestId.startsWith(PREFIX);
    }
}
