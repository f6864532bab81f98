package io.mutexify.model.slot;

/** The hard limits of the API; a value outside them is refused with a 400, never clamped. */
public final class Limits {
    public static final int MAX_OWNER_CHARS = 256;
    public static final int MAX_METADATA_BYTES = 4 * 1024;
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** The longest wait in line an acquire may ask for (24 h); beyond {@link #MAX_CALL_WAIT_SECONDS} it is a long wait. */
    public static final int MAX_WAIT_SECONDS = 86_400;
    /**
     * The longest one HTTP call is held open for a wait (Azure cuts calls at 230 s); a longer wait
     * answers 202 and the client long-polls its request.
     */
    public static final int MAX_CALL_WAIT_SECONDS = 60;
    /** No slot may allow a lock longer than 30 days. */
    public static final int MAX_TIMEOUT_CEILING = 30 * 24 * 3600;
    public static final int DEFAULT_MAX_TIMEOUT = 86_400;
    public static final int DEFAULT_TIMEOUT = 60;
    public static final int MAX_NAME_CHARS = 256;
    public static final int MAX_DESCRIPTION_CHARS = 4096;
    public static final int MAX_PRINCIPALS = 100;
    /** The most holds one slot (a pool) may have at once, and the most named units it may list. */
    public static final int MAX_CAPACITY = 64;
    public static final int MAX_UNIT_CHARS = 64;
    /** The longest lock-delay a slot may set, in seconds. */
    public static final int MAX_LOCK_DELAY = 3600;

    private Limits() {
    }
}
