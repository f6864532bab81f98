package io.mutexify.azure.functions.frontface;

import static io.mutexify.azure.functions.frontface.AzureRig.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mutexify.azure.cosmos.CosmosTestServer;
import io.mutexify.model.port.FlakyScheduler;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Lockkeeper's timer scheduler throws once, right after a grant was committed. The message is
 * redelivered and answered from the stored reply; that replay must arm the expiry the first try
 * never scheduled, so the hold still ends on time and the next waiter is granted.
 */
@ExtendWith(CosmosTestServer.class)
class AzureFaultTimerSchedulerTest {
    private final AzureRig rig = new AzureRig(5);

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void aSchedulerThatThrowsOnceAfterCommitStillExpiresTheHoldAndGrantsTheNextWaiter() {
        FlakyScheduler timers = new FlakyScheduler(rig.timers());
        timers.failSchedules.set(1);
        rig.startLockkeeper(rig.keeperStore, timers);
        int ff = rig.addFrontface(Duration.ofSeconds(10));

        FakeRequest.Response holder = rig.acquire(ff, "timer-1", "{\"owner\":\"h\",\"timeout\":1}", null);
        assertThat(holder.getStatusCode()).as(holder.text()).isEqualTo(200);
        await("the scheduler did throw once").atMost(Duration.ofSeconds(5)).until(() -> timers.failSchedules.get() == 0);
        long fence = json(holder).path("fence").asLong();

        long started = System.nanoTime();
        FakeRequest.Response waiter = rig.acquire(ff, "timer-1", "{\"owner\":\"w\",\"timeout\":30,\"wait\":20}", null);
        assertThat(waiter.getStatusCode()).as(waiter.text()).isEqualTo(200);
        assertThat(json(waiter).path("owner").asText()).isEqualTo("w");
        assertThat(json(waiter).path("fence").asLong()).isEqualTo(fence + 1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("granted at the 1 s expiry, not at the wait's end")
                .isLessThan(Duration.ofSeconds(8));
        assertThat(rig.bus.deadLetters).isEmpty();
    }
}
