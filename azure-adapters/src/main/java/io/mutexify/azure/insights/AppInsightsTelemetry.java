package io.mutexify.azure.insights;

import com.microsoft.applicationinsights.TelemetryClient;
import com.microsoft.applicationinsights.telemetry.BaseTelemetry;
import com.microsoft.applicationinsights.telemetry.EventTelemetry;
import com.microsoft.applicationinsights.telemetry.MetricTelemetry;
import io.mutexify.model.port.Telemetry;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Telemetry} port on Application Insights: custom events and metrics through the
 * {@link TelemetryClient}, each tagged with the current {@link OperationIds operation id} so a
 * request's Frontface and Lockkeeper telemetry show as one operation. Without the Java agent the
 * client does nothing, which is also what it should do then. Telemetry never fails a command: an
 * exception from the client is logged and dropped.
 */
public final class AppInsightsTelemetry implements Telemetry {
    private static final Logger log = LoggerFactory.getLogger(AppInsightsTelemetry.class);
    private final TelemetryClient client;

    public AppInsightsTelemetry(TelemetryClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** Application Insights when {@code settings} name a connection string, otherwise {@link Telemetry#NONE}. */
    public static Telemetry of(InsightsSettings settings) {
        return settings.enabled() ? new AppInsightsTelemetry(new TelemetryClient()) : Telemetry.NONE;
    }

    @Override
    public void event(String name, Map<String, String> properties) {
        EventTelemetry t = new EventTelemetry(name);
        tag(t, properties);
        try {
            client.trackEvent(t);
        } catch (RuntimeException e) {
            log.debug("telemetry event {} dropped: {}", name, e.toString());
        }
    }

    @Override
    public void metric(String name, double value, Map<String, String> properties) {
        MetricTelemetry t = new MetricTelemetry(name, value);
        tag(t, properties);
        try {
            client.trackMetric(t);
        } catch (RuntimeException e) {
            log.debug("telemetry metric {} dropped: {}", name, e.toString());
        }
    }

    private static void tag(BaseTelemetry t, Map<String, String> properties) {
        t.getProperties().putAll(properties);
        String operation = OperationIds.current();
        if (operation != null) {
            t.getContext().getOperation().setId(operation);
        }
    }
}
