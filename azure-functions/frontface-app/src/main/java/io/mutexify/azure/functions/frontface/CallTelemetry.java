package io.mutexify.azure.functions.frontface;

import io.mutexify.model.port.Telemetry;
import java.util.Map;

/**
 * What the Frontface tells Application Insights about each HTTP call, tagged with the invocation's
 * operation id: its duration as a metric ({@value #DURATION}, by function and status), and every
 * 5xx as a custom event ({@value #SERVER_ERROR}) the 5xx alert and the workbook can count.
 */
final class CallTelemetry {
    static final String DURATION = "mutexify.frontface.ms";
    static final String SERVER_ERROR = "mutexify.frontface.5xx";

    private CallTelemetry() {
    }

    static void record(Telemetry telemetry, String function, int status, long nanos) {
        Map<String, String> props = Map.of("function", function == null ? "unknown" : function,
                "status", Integer.toString(status));
        try {
            telemetry.metric(DURATION, nanos / 1e6, props);
            if (status >= 500) {
                telemetry.event(SERVER_ERROR, props);
            }
        } catch (RuntimeException e) {
            // Telemetry never fails a call.
        }
    }
}
