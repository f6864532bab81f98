package io.mutexify.azure.functions.frontface;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpMethod;
import io.mutexify.azure.cosmos.CosmosFixture;
import io.mutexify.azure.cosmos.CosmosSettings;
import io.mutexify.azure.cosmos.CosmosSlotStore;
import io.mutexify.azure.cosmos.CosmosTestServer;
import io.mutexify.azure.functions.lockkeeper.LockkeeperApp;
import io.mutexify.azure.functions.lockkeeper.LockkeeperFunctions;
import io.mutexify.azure.servicebus.ServiceBusCommandQueue;
import io.mutexify.azure.servicebus.ServiceBusReplyReceiver;
import io.mutexify.azure.servicebus.ServiceBusReplySink;
import io.mutexify.frontface.auth.OpenAccess;
import io.mutexify.frontface.dispatch.ReplyWaiter;
import io.mutexify.model.json.Json;
import io.mutexify.model.machine.Policy;
import io.mutexify.model.port.Telemetry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole Azure shape in one JVM: Frontface HTTP function → command message on the slot's session
 * → Lockkeeper Service Bus function → Cosmos DB (the protocol test server) → reply message on the
 * Frontface's session → HTTP response. Service Bus is {@link InMemoryServiceBus} behind mocks of the
 * SDK clients; the Frontface and the Lockkeeper each have their own store instance, as two function
 * apps would.
 */
@ExtendWith(CosmosTestServer.class)
class WiredAzureTest {
    private static final String REQUESTS = "mutexify-requests";
    private static final String REPLIES = "mutexify-replies";
    private static InMemoryServiceBus bus;
    private static Thread lockkeeperHost;
    private static ServiceBusReplyReceiver receiver;
    private static CosmosSlotStore frontStore;
    private static CosmosSlotStore keeperStore;
    private final FrontfaceFunctions functions = new FrontfaceFunctions();

    @BeforeAll
    static void wire() {
        bus = new InMemoryServiceBus(3);
        CosmosSettings db = CosmosFixture.freshSettings();
        keeperStore = CosmosFixture.open(db);
        frontStore = CosmosFixture.open(db);

        LockkeeperApp.install(new LockkeeperApp(keeperStore, new ServiceBusReplySink(bus::sender),
                new ServiceBusCommandQueue(bus.sender(REQUESTS), null, null), Policy.defaults(), Telemetry.NONE, null, 3,
                Duration.ofHours(24)));
        LockkeeperFunctions keeper = new LockkeeperFunctions();
        lockkeeperHost = bus.consume(REQUESTS, m -> keeper.lockkeeper(new String(m.body(), StandardCharsets.UTF_8),
                m.sessionId(), m.messageId(), m.replyTo(), m.replyToSessionId(), m.deliveryCount(),
                m.properties(), null));

        ReplyWaiter replies = new ReplyWaiter();
        receiver = new ServiceBusReplyReceiver(bus.sessionReceiver(REPLIES), "ff-wired", replies);
        receiver.start();
        ServiceBusCommandQueue queue = new ServiceBusCommandQueue(bus.sender(REQUESTS), REPLIES, "ff-wired");
        FrontfaceApp.install(new FrontfaceApp(FrontfaceApp.handler(frontStore, queue, replies,
                new PollingSlotWatch(frontStore, Duration.ofMillis(100)), new OpenAccess(), Duration.ofSeconds(15),
                () -> frontStore.isReachable() && queue.isReachable()), Telemetry.NONE));
    }

    @AfterAll
    static void unwire() {
        lockkeeperHost.interrupt();
        receiver.close();
        FrontfaceApp.install(null);
        LockkeeperApp.install(null);
        frontStore.close();
        keeperStore.close();
    }

    private static JsonNode json(FakeRequest.Response r) throws IOException {
        return Json.mapper().readTree(r.text());
    }

    private FakeRequest.Response acquire(String slot, String body, String key) {
        FakeRequest req = new FakeRequest(HttpMethod.POST, "/api/v1/locks/" + slot, body);
        if (key != null) {
            req.header("Idempotency-Key", key);
        }
        return (FakeRequest.Response) functions.lock(req, null);
    }

    @Test
    void acquireConflictReleaseAndARetryThatReturnsTheFirstGrant() throws IOException {
        FakeRequest.Response first = acquire("wired-1", "{\"owner\":\"job-a\",\"timeout\":60}", "job-a-1");
        assertThat(first.getStatusCode()).as(first.text()).isEqualTo(200);
        JsonNode lock = json(first);
        assertThat(lock.path("fence").asLong()).isEqualTo(1);
        String token = lock.path("token").asText();

        FakeRequest.Response status = (FakeRequest.Response) functions.lock(new FakeRequest(HttpMethod.GET, "/api/v1/locks/wired-1", null), null);
        assertThat(status.getStatusCode()).isEqualTo(200);
        assertThat(json(status).path("owner").asText()).isEqualTo("job-a");
        assertThat(json(status).has("token")).isFalse();

        FakeRequest.Response other = acquire("wired-1", "{\"owner\":\"job-b\",\"timeout\":60}", null);
        assertThat(other.getStatusCode()).as(other.text()).isEqualTo(409);

        long started = System.nanoTime();
        FakeRequest.Response retry = acquire("wired-1", "{\"owner\":\"job-a\",\"timeout\":60}", "job-a-1");
        assertThat(retry.getStatusCode()).isEqualTo(200);
        assertThat(json(retry).path("token").asText()).isEqualTo(token);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered from the store, not after the 202 timeout")
                .isLessThan(Duration.ofSeconds(10));

        FakeRequest.Response release = (FakeRequest.Response) functions.lockByToken(
                new FakeRequest(HttpMethod.DELETE, "/api/v1/locks/wired-1/" + token, null), null);
        assertThat(release.getStatusCode()).as(release.text()).isEqualTo(204);
        FakeRequest.Response free = (FakeRequest.Response) functions.lock(new FakeRequest(HttpMethod.GET, "/api/v1/locks/wired-1", null), null);
        assertThat(free.getStatusCode()).isEqualTo(404);
    }

    @Test
    void aScheduledExpiryHandsTheSlotToTheWaiter() throws IOException {
        FakeRequest.Response holder = acquire("wired-2", "{\"owner\":\"job-c\",\"timeout\":1}", null);
        assertThat(holder.getStatusCode()).as(holder.text()).isEqualTo(200);
        long fence = json(holder).path("fence").asLong();

        FakeRequest.Response waiter = acquire("wired-2", "{\"owner\":\"job-d\",\"timeout\":30,\"wait\":10}", null);
        assertThat(waiter.getStatusCode()).as(waiter.text()).isEqualTo(200);
        assertThat(json(waiter).path("owner").asText()).isEqualTo("job-d");
        assertThat(json(waiter).path("fence").asLong()).isEqualTo(fence + 1);
        assertThat(bus.deadLetters).isEmpty();
    }
}
