package io.mutexify.azure.functions.frontface;

import static io.mutexify.azure.functions.frontface.AzureRig.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mutexify.azure.cosmos.CosmosTestServer;
import io.mutexify.model.port.FaultySlotStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A command that failed on every delivery gets the poison path's 503 "retry later"; the client's
 * retry with the same Idempotency-Key must then be carried out. With MessageId = request id the
 * broker's duplicate detection dropped that retry for its whole window (10 minutes), and the client
 * only ever saw 202s.
 */
@ExtendWith(CosmosTestServer.class)
class AzureFaultPoisonRetryTest {
    private final AzureRig rig = new AzureRig(3);

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void aRetryWithTheSameKeyAfterThePoisonPath503IsGrantedNotDropped() {
        // A plain failure, not a store outage: the command is abandoned and redelivered until the poison path.
        FaultySlotStore store = new FaultySlotStore(rig.keeperStore, w -> new IllegalStateException("store down (injected)"));
        rig.startLockkeeper(store, rig.timers());
        int ff = rig.addFrontface(Duration.ofSeconds(5));
        store.failNext.set(rig.maxDeliveryCount);

        FakeRequest.Response failed = rig.acquire(ff, "poison-1", "{\"owner\":\"job\",\"timeout\":60}", "job-1");
        assertThat(failed.getStatusCode()).as(failed.text()).isEqualTo(503);
        assertThat(json(failed).path("error").asText()).isEqualTo("command_failed");
        // The host dead-letters the message once the last attempt has thrown, just after the 503 went out.
        await().atMost(Duration.ofSeconds(5)).until(() -> rig.bus.deadLetterCount() == 1);
        FakeRequest.Response retry = rig.acquire(ff, "poison-1", "{\"owner\":\"job\",\"timeout\":60}", "job-1");
        assertThat(retry.getStatusCode()).as("the retry is carried out: " + retry.text()).isEqualTo(200);
        assertThat(json(retry).path("owner").asText()).isEqualTo("job");
        assertThat(json(retry).path("fence").asLong()).isEqualTo(1);
    }
}
