package io.mutexify.embedded.telemetry;

import io.mutexify.model.port.Telemetry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** The embedded default's telemetry: counters and sums kept in memory and shown at {@code GET /metrics}. */
public final class MetricsTelemetry implements Telemetry {
    private final Map<String, LongAdder> events = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> metricCounts = new ConcurrentHashMap<>();
    private final Map<String, DoubleAdder> metricSums = new ConcurrentHashMap<>();

    @Override
    public void event(String name, Map<String, String> properties) {
        events.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    @Override
    public void metric(String name, double value, Map<String, String> properties) {
        metricCounts.computeIfAbsent(name, k -> new LongAdder()).increment();
        metricSums.computeIfAbsent(name, k -> new DoubleAdder()).add(value);
    }

    /** Prometheus text exposition: one counter per event type, a count and a sum per metric. */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("# TYPE mutexify_events_total counter\n");
        new TreeMap<>(events).forEach((name, n) ->
                b.append("mutexify_events_total{type=\"").append(name).append("\"} ").append(n.sum()).append('\n'));
        new TreeMap<>(metricCounts).forEach((name, n) -> {
            String metric = name.replace('.', '_');
            b.append("# TYPE ").append(metric).append(" summary\n");
            b.append(metric).append("_count ").append(n.sum()).append('\n');
            b.append(metric).append("_sum ").append(metricSums.get(name).sum()).append('\n');
        });
        return b.toString();
    }
}
