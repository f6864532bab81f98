package io.mutexify.azure.functions.frontface;

import static io.mutexify.azure.functions.frontface.AzureRig.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.cosmos.CosmosAsyncClient;
import io.mutexify.azure.cosmos.CosmosFixture;
import io.mutexify.azure.cosmos.CosmosReadCounter;
import io.mutexify.azure.cosmos.CosmosTestServer;
import io.mutexify.azure.functions.lockkeeper.LockkeeperApp;
import io.mutexify.lockkeeper.outbox.OutboxRelay;
import io.mutexify.model.event.LockEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What one acquire+release cycle costs in Cosmos DB document reads, counted by the SDK's own
 * diagnostics on every client of the Azure shape: the Frontface's, the Lockkeeper's, the outbox relay
 * delivering every event (polling as deployed), and the hourly housekeeping. Budget: at most
 * {@value #BUDGET} documents read per cycle. Before this budget the relay listed all of {@code $pending}
 * and all of {@code $outbox} (delivered documents included) on every poll and commit, and the prune
 * listed 32 pointer partitions: the reads grew with everything ever written.
 */
@ExtendWith(CosmosTestServer.class)
class AzureFaultReadBudgetTest {
    static final int BUDGET = 6;
    private static final int CYCLES = 30;
    private final CosmosReadCounter counter = new CosmosReadCounter();
    private CosmosAsyncClient client;
    private AzureRig rig;

    @AfterEach
    void close() {
        if (rig != null) {
            rig.close();
        }
        if (client != null) {
            client.close();
        }
    }

    @Test
    void anAcquireReleaseCycleReadsAtMostSixDocuments() {
        var settings = CosmosFixture.freshSettings();
        client = counter.client(settings);
        rig = new AzureRig(3, client, settings);
        List<LockEvent> published = new CopyOnWriteArrayList<>();
        rig.startLockkeeper(rig.keeperStore, rig.timers(),
                new OutboxRelay("eventgrid", rig.keeperStore, published::addAll));
        int ff = rig.addFrontface(Duration.ofSeconds(10));

        cycle(ff, "budget", 3); // first touch of the slot, the log and the cursor
        await().atMost(Duration.ofSeconds(10)).until(() -> published.size() >= 7); // created + 3 acquired/released
        counter.reset();
        int before = published.size();

        long started = System.nanoTime();
        cycle(ff, "budget", CYCLES);
        await().atMost(Duration.ofSeconds(20)).until(() -> published.size() >= before + 2 * CYCLES);
        int pruned = LockkeeperApp.get().prune(Instant.now());
        sleep(300); // diagnostics are reported as operations finish
        double seconds = (System.nanoTime() - started) / 1e9;

        double perCycle = (double) counter.documentsRead() / CYCLES;
        System.out.printf("Cosmos DB documents read per acquire+release cycle: %.2f over %d cycles in %.1f s"
                + " (budget %d); pruned %d; %s%n", perCycle, CYCLES, seconds, BUDGET, pruned, counter.breakdown());
        assertThat(published).hasSize(before + 2 * CYCLES);
        assertThat(counter.get("feed requests")).as("no partition listings on the hot path or in housekeeping")
                .isZero();
        assertThat(perCycle).as("documents read per cycle: " + counter.breakdown()).isLessThanOrEqualTo(BUDGET);
    }

    private void cycle(int ff, String slot, int times) {
        for (int i = 0; i < times; i++) {
            FakeRequest.Response got = rig.acquire(ff, slot, "{\"owner\":\"job\",\"timeout\":60}", null);
            assertThat(got.getStatusCode()).as(got.text()).isEqualTo(200);
            FakeRequest.Response released = rig.delete(ff, "/api/v1/locks/" + slot + "/" + json(got).path("token").asText());
            assertThat(released.getStatusCode()).as(released.text()).isEqualTo(204);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
