package io.mutexify.azure.insights;

import java.util.List;
import java.util.Map;

/**
 * Application Insights. The connection string itself is read by the Application Insights Java agent
 * (on Functions: {@code APPLICATIONINSIGHTS_ENABLE_AGENT=true}); the code only looks at whether it is
 * set, to decide whether to send custom events and metrics at all.
 *
 * @param connectionString the Application Insights connection string, or null for no telemetry
 */
public record InsightsSettings(String connectionString) {
    public static final String CONNECTION_STRING = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    /** Every setting this adapter reads, for checks that the deployment files list them all. */
    public static final List<String> SETTING_NAMES = List.of(CONNECTION_STRING);

    public static InsightsSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static InsightsSettings fromEnvironment(Map<String, String> env) {
        String v = env.get(CONNECTION_STRING);
        return new InsightsSettings(v == null || v.isBlank() ? null : v.trim());
    }

    public boolean enabled() {
        return connectionString != null;
    }

    @Override
    public String toString() {
        return "InsightsSettings[" + (enabled() ? "enabled" : "disabled") + "]";
    }
}
