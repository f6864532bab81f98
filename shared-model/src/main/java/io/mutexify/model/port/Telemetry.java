package io.mutexify.model.port;

import java.util.Map;

/** Custom events and metrics for operators; Application Insights on Azure, logs and /metrics locally. */
public interface Telemetry {
    void event(String name, Map<String, String> properties);

    void metric(String name, double value, Map<String, String> properties);

    Telemetry NONE = new Telemetry() {
        @Override
        public void event(String name, Map<String, String> properties) {
        }

        @Override
        public void metric(String name, double value, Map<String, String> properties) {
        }
    };
}
