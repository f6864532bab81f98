package io.mutexify.azure.functions.frontface;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.azure.cosmos.CosmosTestServer;
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
    private static AzureRig rig;
    private static int ff;

    @BeforeAll
    static void wire() {
        rig = new AzureRig(3);
        rig.startLockkeeper();
        ff = rig.addFrontface(Duration.ofSeconds(15));
    }

    @AfterAll
    static void unwire() {
        rig.close();
    }

    private static JsonNode json(FakeRequest.Response r) {
        return AzureRig.json(r);
    }

    private FakeRequest.Response acquire(String slot, String body, String key) {
        return rig.acquire(ff, slot, body, key);
    }

    @Test
    void acquireConflictReleaseAndARetryThatReturnsTheFirstGrant() {
        FakeRequest.Response first = acquire("wired-1", "{\"owner\":\"job-a\",\"timeout\":60}", "job-a-1");
        assertThat(first.getStatusCode()).as(first.text()).isEqualTo(200);
        JsonNode lock = json(first);
        assertThat(lock.path("fence").asLong()).isEqualTo(1);
        String token = lock.path("token").asText();

        FakeRequest.Response status = rig.get(ff, "/api/v1/locks/wired-1");
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

        FakeRequest.Response release = rig.delete(ff, "/api/v1/locks/wired-1/" + token);
        assertThat(release.getStatusCode()).as(release.text()).isEqualTo(204);
        FakeRequest.Response free = rig.get(ff, "/api/v1/locks/wired-1");
        assertThat(free.getStatusCode()).isEqualTo(404);
    }

    @Test
    void aScheduledExpiryHandsTheSlotToTheWaiter() {
        FakeRequest.Response holder = acquire("wired-2", "{\"owner\":\"job-c\",\"timeout\":1}", null);
        assertThat(holder.getStatusCode()).as(holder.text()).isEqualTo(200);
        long fence = json(holder).path("fence").asLong();

        FakeRequest.Response waiter = acquire("wired-2", "{\"owner\":\"job-d\",\"timeout\":30,\"wait\":10}", null);
        assertThat(waiter.getStatusCode()).as(waiter.text()).isEqualTo(200);
        assertThat(json(waiter).path("owner").asText()).isEqualTo("job-d");
        assertThat(json(waiter).path("fence").asLong()).isEqualTo(fence + 1);
        assertThat(rig.bus.deadLetterCount()).isZero();
    }
}
