package io.mutexify.azure.functions.frontface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.TraceContext;
import io.mutexify.azure.cosmos.CosmosTestServer;
import io.mutexify.azure.insights.OperationIds;
import io.mutexify.model.port.Telemetry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Frontface's telemetry is sent, and under the invocation's own W3C trace id (the host's trace
 * context, which Application Insights uses for the call's {@code requests} row), not under a
 * traceparent header the caller made up or under the bare invocation id.
 */
@ExtendWith(CosmosTestServer.class)
class InvocationTelemetryTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private final AzureRig rig = new AzureRig(3);

    /** One telemetry call and the operation id it was made under. */
    record Sent(String name, Map<String, String> props, String operation) {
    }

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void callsAreRecordedUnderTheInvocationsTraceId() {
        List<Sent> sent = new CopyOnWriteArrayList<>();
        Telemetry recording = new Telemetry() {
            @Override
            public void event(String name, Map<String, String> properties) {
                sent.add(new Sent(name, properties, OperationIds.current()));
            }

            @Override
            public void metric(String name, double value, Map<String, String> properties) {
                sent.add(new Sent(name, properties, OperationIds.current()));
            }
        };
        rig.startLockkeeper();
        int ff = rig.addFrontface(Duration.ofSeconds(10), Duration.ofSeconds(10), recording, Map.of());
        ExecutionContext context = mock(ExecutionContext.class);
        TraceContext trace = mock(TraceContext.class);
        when(trace.getTraceparent()).thenReturn("00-" + TRACE + "-00f067aa0ba902b7-01");
        when(context.getTraceContext()).thenReturn(trace);
        when(context.getInvocationId()).thenReturn("invocation-1");
        when(context.getFunctionName()).thenReturn("lockAcquireOrStatus");

        FakeRequest req = new FakeRequest(HttpMethod.POST, "/api/v1/locks/traced", "{\"timeout\":60}")
                .header("traceparent", "00-11111111111111111111111111111111-00f067aa0ba902b7-01")
                .header("Authorization", "Bearer " + rig.token(AzureRig.CALLER));
        FakeRequest.Response res = rig.call(ff, req, context);
        assertThat(res.getStatusCode()).as(res.text()).isEqualTo(200);

        assertThat(sent).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo(CallTelemetry.DURATION);
            assertThat(s.operation()).isEqualTo(TRACE);
            assertThat(s.props()).containsEntry("function", "lockAcquireOrStatus").containsEntry("status", "200");
        });
        assertThat(OperationIds.forInvocation(null, null, "invocation-1")).as("no trace context: the invocation id")
                .isEqualTo("invocation-1");
    }
}
