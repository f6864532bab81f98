package io.mutexify.azure.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import com.microsoft.applicationinsights.TelemetryClient;
import com.microsoft.applicationinsights.telemetry.EventTelemetry;
import com.microsoft.applicationinsights.telemetry.MetricTelemetry;
import io.mutexify.model.port.Telemetry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class AppInsightsTelemetryTest {
    @Test
    void eventsAndMetricsCarryTheirPropertiesAndTheOperationId() {
        TelemetryClient client = mock(TelemetryClient.class);
        Telemetry t = new AppInsightsTelemetry(client);
        OperationIds.with("4bf92f3577b34da6a3ce929d0e0e4736", () -> {
            t.event("io.mutexify.lock.acquired", Map.of("slot", "ci-1"));
            t.metric("mutexify.hold.seconds", 2.5, Map.of("slot", "ci-1"));
            return null;
        });
        ArgumentCaptor<EventTelemetry> event = ArgumentCaptor.forClass(EventTelemetry.class);
        ArgumentCaptor<MetricTelemetry> metric = ArgumentCaptor.forClass(MetricTelemetry.class);
        verify(client).trackEvent(event.capture());
        verify(client).trackMetric(metric.capture());
        assertThat(event.getValue().getName()).isEqualTo("io.mutexify.lock.acquired");
        assertThat(event.getValue().getProperties()).containsEntry("slot", "ci-1");
        assertThat(event.getValue().getContext().getOperation().getId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(metric.getValue().getValue()).isEqualTo(2.5);
        assertThat(metric.getValue().getContext().getOperation().getId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(OperationIds.current()).isNull();
    }

    @Test
    void noConnectionStringNoTelemetry() {
        assertThat(AppInsightsTelemetry.of(InsightsSettings.fromEnvironment(Map.of()))).isSameAs(Telemetry.NONE);
        assertThat(OperationIds.fromTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(OperationIds.fromTraceparent("garbage")).isNull();
    }
}
