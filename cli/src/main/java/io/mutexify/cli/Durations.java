package io.mutexify.cli;

import java.time.Duration;

/** Durations as people write them: {@code 4m12s}, {@code 1h5m}, {@code 800ms}. */
final class Durations {
    private Durations() {
    }

    static String human(Duration d) {
        if (d.isNegative()) {
            return "0s";
        }
        long s = d.toSeconds();
        if (s == 0) {
            return d.toMillis() + "ms";
        }
        long h = s / 3600;
        long m = s % 3600 / 60;
        long sec = s % 60;
        StringBuilder b = new StringBuilder();
        if (h > 0) {
            b.append(h).append('h');
        }
        if (m > 0) {
            b.append(m).append('m');
        }
        if (sec > 0 && h == 0) {
            b.append(sec).append('s');
        }
        return b.length() == 0 ? "0s" : b.toString();
    }
}
