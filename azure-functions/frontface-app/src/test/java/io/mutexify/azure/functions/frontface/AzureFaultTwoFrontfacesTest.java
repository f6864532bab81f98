package io.mutexify.azure.functions.frontface;

import static io.mutexify.azure.functions.frontface.AzureRig.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mutexify.azure.cosmos.CosmosTestServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two Frontface instances over one Cosmos DB and one Service Bus: a 202 started on instance A is
 * answered by instance B, which never saw the request. Before the in-flight record was durable, B
 * answered 404 ("no such request") and the client re-sent, which the broker's duplicate detection
 * then dropped.
 */
@ExtendWith(CosmosTestServer.class)
class AzureFaultTwoFrontfacesTest {
    private final AzureRig rig = new AzureRig(3);

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void aRequestThatAnswered202OnOneInstanceIsPolledOnAnother() {
        int a = rig.addFrontface(Duration.ofMillis(300));
        int b = rig.addFrontface(Duration.ofMillis(300));

        // The Lockkeeper is not running yet (cold start, backlog): A gives up waiting and answers 202.
        FakeRequest.Response started = rig.acquire(a, "two-1", "{\"owner\":\"job-a\",\"timeout\":60}", "job-a-1");
        assertThat(started.getStatusCode()).as(started.text()).isEqualTo(202);
        String location = started.getHeader("Location");
        assertThat(location).startsWith("/api/v1/requests/");

        FakeRequest.Response early = rig.get(b, location);
        assertThat(early.getStatusCode()).as("B knows the request is in flight: " + early.text()).isEqualTo(202);

        rig.startLockkeeper();
        AtomicReference<FakeRequest.Response> done = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            done.set(rig.get(b, location));
            return done.get().getStatusCode() != 202;
        });
        assertThat(done.get().getStatusCode()).as(done.get().text()).isEqualTo(200);
        assertThat(json(done.get()).path("owner").asText()).isEqualTo("job-a");
        assertThat(json(done.get()).path("fence").asLong()).isEqualTo(1);

        // The client's retry with the same key, on B, gets the same grant, not a second one.
        FakeRequest.Response retry = rig.acquire(b, "two-1", "{\"owner\":\"job-a\",\"timeout\":60}", "job-a-1");
        assertThat(retry.getStatusCode()).as(retry.text()).isEqualTo(200);
        assertThat(json(retry).path("token").asText()).isEqualTo(json(done.get()).path("token").asText());
    }

    @Test
    void aWaiterGrantedByALockkeeperInstanceThatNeverSawItIsStillAnswered() throws Exception {
        int a = rig.addFrontface(Duration.ofSeconds(10));
        rig.startLockkeeper();
        FakeRequest.Response holder = rig.acquire(a, "two-2", "{\"owner\":\"h\",\"timeout\":2}", null);
        assertThat(holder.getStatusCode()).as(holder.text()).isEqualTo(200);

        CompletableFuture<FakeRequest.Response> waiter = CompletableFuture.supplyAsync(
                () -> rig.acquire(a, "two-2", "{\"owner\":\"w\",\"timeout\":30,\"wait\":15}", null));
        await().atMost(Duration.ofSeconds(5)).until(() -> !rig.keeperStore.load("two-2").waiters().isEmpty());
        // The Lockkeeper instance that saw the waiter arrive goes away; the expiry runs on a new one.
        rig.installLockkeeper(rig.keeperStore, rig.timers());

        FakeRequest.Response granted = waiter.get(20, TimeUnit.SECONDS);
        assertThat(granted.getStatusCode()).as("answered on the call, not left to a 202: " + granted.text())
                .isEqualTo(200);
        assertThat(json(granted).path("owner").asText()).isEqualTo("w");
    }
}
