package io.mutexify.azure.functions.frontface;

import static io.mutexify.azure.functions.frontface.AzureRig.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.cosmos.ConsistencyLevel;
import com.azure.cosmos.CosmosAsyncClient;
import io.mutexify.azure.cosmos.CosmosFixture;
import io.mutexify.azure.cosmos.CosmosReadCounter;
import io.mutexify.azure.cosmos.CosmosSettings;
import io.mutexify.azure.cosmos.CosmosTestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Read-your-writes across the two apps, through the Frontface's HTTP functions: right after a grant
 * (written by the Lockkeeper's client) the Frontface (another client) must find the token, the
 * holder and a slot index that already counts the change. The guarantee rests on Strong reads: the
 * test server has a single replica and cannot lag, so the test also checks, from the SDK's own
 * diagnostics, that every document read the Frontface and Lockkeeper clients (built as in
 * production) made ran at Strong. At Session, a Frontface would read a replica behind the Lockkeeper.
 */
@ExtendWith(CosmosTestServer.class)
class AzureFaultReadYourWritesTest {
    private final CosmosReadCounter reads = new CosmosReadCounter();
    private final CosmosSettings settings = CosmosFixture.freshSettings();
    private final CosmosAsyncClient client = reads.client(settings);
    private final AzureRig rig = new AzureRig(3, client, settings);

    @AfterEach
    void close() {
        rig.close();
        client.close();
    }

    @Test
    void theFrontfaceReadsTheGrantItJustRelayed() {
        rig.startLockkeeper();
        int ff = rig.addFrontface(Duration.ofSeconds(10));

        for (int i = 0; i < 5; i++) {
            String slot = "ryw-" + i;
            FakeRequest.Response granted = rig.acquire(ff, slot, "{\"owner\":\"job\",\"timeout\":60}", null);
            assertThat(granted.getStatusCode()).as(granted.text()).isEqualTo(200);
            String token = json(granted).path("token").asText();

            FakeRequest.Response mine = rig.get(ff, "/api/v1/locks/" + slot + "/" + token);
            assertThat(mine.getStatusCode()).as("the holder's own lock, at once: " + mine.text()).isEqualTo(200);
            FakeRequest.Response status = rig.get(ff, "/api/v1/locks/" + slot);
            assertThat(status.getStatusCode()).isEqualTo(200);
            assertThat(json(status).path("owner").asText()).isEqualTo("job");

            FakeRequest.Response detail = rig.get(ff, "/api/v1/slots/" + slot);
            assertThat(detail.getStatusCode()).as(detail.text()).isEqualTo(200);
            long index = Long.parseLong(detail.getHeader("X-Mutexify-Index"));
            // A long-poll from the index just before the grant answers at once: the index already counts it.
            long started = System.nanoTime();
            FakeRequest.Response poll = rig.get(ff, "/api/v1/slots/" + slot + "?index=" + (index - 1) + "&wait=5s");
            assertThat(poll.getStatusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));

            FakeRequest.Response released = rig.delete(ff, "/api/v1/locks/" + slot + "/" + token);
            assertThat(released.getStatusCode()).isEqualTo(204);
            FakeRequest.Response gone = rig.get(ff, "/api/v1/locks/" + slot + "/" + token);
            assertThat(gone.getStatusCode()).as("released means gone, at once").isEqualTo(404);
        }
        assertThat(reads.readsByConsistency()).as("every document read, by consistency level")
                .containsOnlyKeys(ConsistencyLevel.STRONG.toString());
    }
}
