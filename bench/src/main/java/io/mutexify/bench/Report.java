package io.mutexify.bench;

import org.HdrHistogram.Histogram;

/** One scenario's result: operations per second and latency percentiles in milliseconds. */
record Report(String name, String unit, long count, double seconds, Histogram latency, String latencyName,
              long errors, String check) {

    double perSecond() {
        return count / seconds;
    }

    /** Prints the figures; returns false if the run saw errors or failed its check. */
    boolean print() {
        System.out.printf("%n== %s%n", name);
        System.out.printf("  %,d %s in %.1f s = %,.0f %s/s, errors %d%n", count, unit, seconds, perSecond(), unit, errors);
        System.out.printf("  %s ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n", latencyName,
                ms(50), ms(90), ms(99), ms(99.9), latency.getMaxValue() / 1e6);
        System.out.printf("  check: %s%n", check);
        return errors == 0 && check.startsWith("ok");
    }

    private double ms(double percentile) {
        return latency.getValueAtPercentile(percentile) / 1e6;
    }
}
