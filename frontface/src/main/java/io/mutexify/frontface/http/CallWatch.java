package io.mutexify.frontface.http;

/**
 * How a host tells the API that a call's client went away (its connection closed) before the
 * answer was written. Asked only by calls that may wait long; a host that cannot observe its
 * clients' connections (Azure Functions) uses {@link #NONE}, and such a wait is bounded by its own length.
 */
@FunctionalInterface
public interface CallWatch {
    /** Starts watching; {@code onClosed} runs at most once, and never after the answer is being written. */
    void onClosed(Runnable onClosed);

    /** For hosts that cannot tell: never runs anything. */
    CallWatch NONE = onClosed -> { };
}
