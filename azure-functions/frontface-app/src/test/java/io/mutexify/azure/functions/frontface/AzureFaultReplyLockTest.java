package io.mutexify.azure.functions.frontface;

import static io.mutexify.azure.functions.frontface.AzureRig.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.azure.cosmos.CosmosTestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Frontface's reply session lock lapses unless renewed (on Service Bus: after the SDK's 5-minute
 * auto-renewal; here, scaled down, after 600 ms). The receiver renews it for its whole life, so
 * replies keep arriving on the call instead of turning into 202s.
 */
@ExtendWith(CosmosTestServer.class)
class AzureFaultReplyLockTest {
    private final AzureRig rig = new AzureRig(3);

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void repliesKeepArrivingPastTheSessionLockDuration() {
        rig.bus.sessionLockDuration = Duration.ofMillis(600);
        rig.startLockkeeper();
        int ff = rig.addFrontface(Duration.ofSeconds(3), Duration.ofMillis(200));

        long until = System.nanoTime() + Duration.ofMillis(2500).toNanos();
        int cycles = 0;
        while (System.nanoTime() < until || cycles < 3) {
            FakeRequest.Response got = rig.acquire(ff, "lock-1", "{\"owner\":\"job\",\"timeout\":60}", null);
            assertThat(got.getStatusCode()).as("cycle " + cycles + ": " + got.text()).isEqualTo(200);
            String token = json(got).path("token").asText();
            FakeRequest.Response released = rig.delete(ff, "/api/v1/locks/lock-1/" + token);
            assertThat(released.getStatusCode()).as("cycle " + cycles + ": " + released.text()).isEqualTo(204);
            cycles++;
            sleep(150);
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
