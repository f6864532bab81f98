package io.mutexify.client;

import java.time.Duration;

/**
 * When a call must give up, on the monotonic clock ({@link System#nanoTime()}), or {@link #NONE}: a
 * lease's renewal may not outlast the moment the lease stops being valid.
 */
record Deadline(long atNanos, boolean bounded) {
    /** No deadline: only the retry policy and the attempt timeout bound the call. */
    static final Deadline NONE = new Deadline(0, false);

    /** A deadline at {@code nanos}, a {@link System#nanoTime()} value. */
    static Deadline at(long nanos) {
        return new Deadline(nanos, true);
    }

    boolean passed(long now) {
        return bounded && atNanos - now <= 0;
    }

    /** {@code timeout}, shortened so that it ends by the deadline. */
    Duration cap(Duration timeout, long now) {
        if (!bounded || timeout.toNanos() <= atNanos - now) {
            return timeout;
        }
        return Duration.ofNanos(atNanos - now);
    }

    /** {@code nanos} of pause, shortened so that it ends by the deadline. */
    long capPause(long nanos, long now) {
        return bounded ? Math.min(nanos, Math.max(0, atNanos - now)) : nanos;
    }

    /** The earlier of {@code endNanos} and the deadline. */
    long earlier(long endNanos) {
        return bounded && atNanos - endNanos < 0 ? atNanos : endNanos;
    }
}
