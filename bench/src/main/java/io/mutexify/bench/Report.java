package io.mutexify.bench;

import java.util.List;
import org.HdrHistogram.Histogram;

/** One scenario's result: operations per second and latency percentiles in milliseconds. */
record Report(String name, String unit, long count, double seconds, Histogram latency, String latencyName,
              long errors, String check, List<Latency> more) {

    /** A further latency the scenario measured, printed on a line of its own. */
    record Latency(String name, Histogram histogram) {
    }

    Report(String name, String unit, long count, double seconds, Histogram latency, String latencyName, long errors,
           String check) {
        this(name, unit, count, seconds, latency, latencyName, errors, check, List.of());
    }

    double perSecond() {
        return count / seconds;
    }

    /** Prints the figures; returns false if the run saw errors or failed its check. */
    boolean print() {
        System.out.printf("%n== %s%n", name);
        System.out.printf("  %,d %s in %.1f s = %,.0f %s/s, errors %d%n", count, unit, seconds, perSecond(), unit, errors);
        printLatency(latencyName, latency);
        more.forEach(l -> printLatency(l.name(), l.histogram()));
        System.out.printf("  check: %s%n", check);
        return errors == 0 && check.startsWith("ok");
    }

    private static void printLatency(String name, Histogram h) {
        System.out.printf("  %s ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n", name,
                ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), h.getMaxValue() / 1e6);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }
}
