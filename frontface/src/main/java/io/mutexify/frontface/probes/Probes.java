package io.mutexify.frontface.probes;

import io.mutexify.frontface.http.ApiResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What health checks and metrics scrapers read: liveness, readiness, and the Prometheus text where there is one. */
public final class Probes {
    private final BooleanSupplier ready;
    private final Supplier<String> metrics;

    /** {@code metrics}: the Prometheus text exposition, or null where metrics go elsewhere (Azure). */
    public Probes(BooleanSupplier ready, Supplier<String> metrics) {
        this.ready = ready;
        this.metrics = metrics;
    }

    public ApiResponse health() {
        return ApiResponse.json(200, Map.of("status", "ok"));
    }

    public ApiResponse readiness() {
        return ready.getAsBoolean()
                ? ApiResponse.json(200, Map.of("status", "ready"))
                : ApiResponse.error(503, "not_ready", "the store or the queue is not reachable");
    }

    public boolean hasMetrics() {
        return metrics != null;
    }

    public ApiResponse metrics() {
        return new ApiResponse(200, Map.of("Content-Type", "text/plain; version=0.0.4"),
                metrics.get().getBytes(StandardCharsets.UTF_8));
    }
}
