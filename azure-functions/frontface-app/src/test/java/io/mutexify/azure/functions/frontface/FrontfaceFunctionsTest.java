package io.mutexify.azure.functions.frontface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.microsoft.azure.functions.HttpMethod;
import io.mutexify.azure.insights.OperationIds;
import io.mutexify.azure.servicebus.CommandCodec;
import io.mutexify.azure.servicebus.ServiceBusCommandQueue;
import io.mutexify.frontface.access.AccessConfig;
import io.mutexify.frontface.auth.LocalGoogle;
import io.mutexify.frontface.dispatch.ReplyWaiter;
import io.mutexify.frontface.keys.NoKeys;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.InMemorySlotStore;
import io.mutexify.model.port.Telemetry;
import io.mutexify.model.settings.SettingsReader;
import io.mutexify.model.slot.LockView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP functions convert to and from the same ApiHandler; the request queue is a mocked Service
 * Bus sender, and the caller signs in with a Google ID token from a {@link LocalGoogle}.
 */
class FrontfaceFunctionsTest {
    private final LocalGoogle google = new LocalGoogle();
    private final String alice = "Bearer " + google.mint(LocalGoogle.claims("alice@example.com"));
    private final ServiceBusSenderClient sender = mock(ServiceBusSenderClient.class);
    private final ReplyWaiter replies = new ReplyWaiter();
    private final List<ServiceBusMessage> sent = new CopyOnWriteArrayList<>();
    private final FrontfaceFunctions functions = new FrontfaceFunctions();
    private final InMemorySlotStore store = new InMemorySlotStore();

    @BeforeEach
    void wire() {
        ServiceBusCommandQueue queue = new ServiceBusCommandQueue(sender, "mutexify-replies", "ff-test");
        // The "Lockkeeper": answers every acquire at once with a grant, as the reply receiver would hand it over.
        doAnswer(inv -> {
            ServiceBusMessage m = inv.getArgument(0);
            sent.add(m);
            SlotCommand c = CommandCodec.decode(m.getBody().toBytes());
            Instant now = Instant.parse("2026-11-22T10:00:00Z");
            replies.send(Reply.ok(c.requestId(), c.slotId(), 200, new LockView("k-1", c.slotId(), "job", "anonymous",
                    "tok", 1, 60, List.of(), now, now, now.plusSeconds(60))));
            return null;
        }).when(sender).sendMessage(any(ServiceBusMessage.class));
        AccessConfig access = AccessConfig.cloud(new SettingsReader(Map.of("MUTEXIFY_GOOGLE_CLIENT_IDS", LocalGoogle.CLIENT_ID,
                "MUTEXIFY_GOOGLE_CERTS_URL", google.certsUrl())::get, AccessConfig.SETTINGS));
        FrontfaceApp.install(new FrontfaceApp(FrontfaceApp.handler(access, NoKeys.INSTANCE, store, queue,
                io.mutexify.model.port.PendingRequests.NONE, replies,
                new PollingSlotWatch(store, Duration.ofMillis(50)), Duration.ofSeconds(5), () -> true),
                Telemetry.NONE));
    }

    @AfterEach
    void unwire() {
        FrontfaceApp.install(null);
        google.close();
    }

    /** A request from the signed-in caller. */
    private FakeRequest signedIn(HttpMethod method, String path, String body) {
        return new FakeRequest(method, path, body).header("Authorization", alice);
    }

    @Test
    void anAcquireBecomesACommandOnTheSlotsSessionAndItsReplyTheResponse() {
        FakeRequest req = signedIn(HttpMethod.POST, "/api/v1/locks/ci-env-1", "{\"owner\":\"job\",\"timeout\":60}")
                .header("Idempotency-Key", "job-1")
                .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        FakeRequest.Response res = (FakeRequest.Response) functions.lock(req, null);
        assertThat(res.getStatusCode()).isEqualTo(200);
        assertThat(res.text()).contains("\"fence\":1").contains("\"token\":\"tok\"");
        assertThat(res.getHeader("Content-Type")).startsWith("application/json");
        assertThat(sent).hasSize(1);
        ServiceBusMessage m = sent.get(0);
        assertThat(m.getSessionId()).isEqualTo("ci-env-1");
        assertThat(m.getMessageId()).startsWith("k-");
        assertThat(m.getReplyTo()).isEqualTo("mutexify-replies");
        assertThat(m.getReplyToSessionId()).isEqualTo("ff-test");
        assertThat(m.getApplicationProperties()).containsEntry(OperationIds.PROPERTY, "4bf92f3577b34da6a3ce929d0e0e4736");
        SlotCommand.Acquire a = (SlotCommand.Acquire) CommandCodec.decode(m.getBody().toBytes());
        assertThat(a.owner()).isEqualTo("job");
        assertThat(a.timeout()).isEqualTo(60);
    }

    @Test
    void readsAndErrorsAreAnsweredByTheSameHandler() {
        FakeRequest.Response free = (FakeRequest.Response) functions.lock(signedIn(HttpMethod.GET, "/api/v1/locks/ci-env-1", null), null);
        assertThat(free.getStatusCode()).isEqualTo(404);
        assertThat(free.text()).contains("\"error\"");
        FakeRequest.Response bad = (FakeRequest.Response) functions.lock(signedIn(HttpMethod.POST, "/api/v1/locks/a%2Fb", "{}"), null);
        assertThat(bad.getStatusCode()).isEqualTo(400);
        FakeRequest.Response wrongMethod = (FakeRequest.Response) functions.slotBreak(signedIn(HttpMethod.GET, "/api/v1/slots/x/break", null), null);
        assertThat(wrongMethod.getStatusCode()).isEqualTo(405);
        assertThat(wrongMethod.getHeader("Allow")).isEqualTo("POST");
        FakeRequest.Response list = (FakeRequest.Response) functions.slots(signedIn(HttpMethod.GET, "/api/v1/slots", null), null);
        assertThat(list.getStatusCode()).isEqualTo(200);
        assertThat(list.text()).contains("\"slots\"");
        assertThat(sent).isEmpty();
    }

    @Test
    void healthProbesAnswerWithoutTheApiPrefixAndHeadHasNoBody() {
        FakeRequest.Response health = (FakeRequest.Response) functions.healthz(new FakeRequest(HttpMethod.GET, "/healthz", null), null);
        assertThat(health.getStatusCode()).isEqualTo(200);
        assertThat(health.text()).contains("ok");
        FakeRequest.Response ready = (FakeRequest.Response) functions.readyz(new FakeRequest(HttpMethod.HEAD, "/readyz", null), null);
        assertThat(ready.getStatusCode()).isEqualTo(200);
        assertThat(ready.getBody()).isNull();
    }

    @Test
    void theWebUiIsServedFromTheSameFilesAsTheLocalServer() {
        FakeRequest.Response index = (FakeRequest.Response) functions.ui(new FakeRequest(HttpMethod.GET, "/ui/", null), null);
        assertThat(index.getStatusCode()).isEqualTo(200);
        assertThat(index.text()).contains("<title>").contains("app.js");
        FakeRequest.Response script = (FakeRequest.Response) functions.ui(new FakeRequest(HttpMethod.GET, "/ui/app.js", null), null);
        assertThat(script.getStatusCode()).isEqualTo(200);
        FakeRequest.Response traversal = (FakeRequest.Response) functions.ui(new FakeRequest(HttpMethod.GET, "/ui/..%2Fpom.xml", null), null);
        assertThat(traversal.getStatusCode()).isEqualTo(404);
    }
}
