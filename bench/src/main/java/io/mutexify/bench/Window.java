package io.mutexify.bench;

import java.time.Duration;

/** When a scenario runs: a warm-up, then the measured window, in which an operation counts if it began and ended there. */
final class Window {
    private final long measureFrom;
    private final long end;
    private final Duration measured;

    /** Starts now: {@code warmup} first, then {@code measured}. */
    Window(Duration warmup, Duration measured) {
        this.measureFrom = System.nanoTime() + warmup.toNanos();
        this.end = measureFrom + measured.toNanos();
        this.measured = measured;
    }

    /** Whether clients should go on (the window has not ended). */
    boolean open() {
        return System.nanoTime() < end;
    }

    /** Whether an operation from {@code startNanos} to {@code endNanos} ({@link System#nanoTime}) lies inside the window. */
    boolean counts(long startNanos, long endNanos) {
        return startNanos >= measureFrom && endNanos <= end;
    }

    /** The measured window's length, for rates. */
    double seconds() {
        return measured.toNanos() / 1e9;
    }
}
