package io.mutexify.azure.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mutexify.azure.eventgrid.EventGridSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceBusSettingsTest {
    @Test
    void defaultsAndManagedIdentity() {
        ServiceBusSettings s = ServiceBusSettings.fromEnvironment(Map.of(ServiceBusSettings.NAMESPACE, "ns.servicebus.windows.net"));
        assertThat(s.usesConnectionString()).isFalse();
        assertThat(s.requestQueue()).isEqualTo("mutexify-requests");
        assertThat(s.replyQueue()).isEqualTo("mutexify-replies");
        assertThat(s.maxDeliveryCount()).isEqualTo(10);
    }

    @Test
    void theConnectionStringIsNeverPrinted() {
        ServiceBusSettings s = ServiceBusSettings.fromEnvironment(Map.of(ServiceBusSettings.CONNECTION,
                "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=SECRET"));
        assertThat(s.toString()).doesNotContain("SECRET");
    }

    @Test
    void badValuesNameTheSetting() {
        assertThatThrownBy(() -> ServiceBusSettings.fromEnvironment(Map.of())).hasMessageContaining("SERVICEBUS_CONNECTION");
        assertThatThrownBy(() -> ServiceBusSettings.fromEnvironment(Map.of(ServiceBusSettings.CONNECTION, "x",
                ServiceBusSettings.MAX_DELIVERY_COUNT, "ten"))).hasMessageContaining("MUTEXIFY_MAX_DELIVERY_COUNT");
        assertThatThrownBy(() -> ServiceBusSettings.fromEnvironment(Map.of(ServiceBusSettings.CONNECTION, "x",
                ServiceBusSettings.REQUEST_QUEUE, "bad queue"))).hasMessageContaining("MUTEXIFY_REQUEST_QUEUE");
    }

    @Test
    void eventGridNeedsHttpsAndIsOptional() {
        assertThat(EventGridSettings.fromEnvironment(Map.of())).isNull();
        assertThatThrownBy(() -> EventGridSettings.fromEnvironment(Map.of(EventGridSettings.ENDPOINT, "http://topic/api/events")))
                .hasMessageContaining("EVENTGRID_ENDPOINT");
        EventGridSettings s = EventGridSettings.fromEnvironment(Map.of(EventGridSettings.ENDPOINT,
                "https://t.westeurope-1.eventgrid.azure.net/api/events", EventGridSettings.KEY, "SECRET"));
        assertThat(s.usesKey()).isTrue();
        assertThat(s.toString()).doesNotContain("SECRET");
    }
}
