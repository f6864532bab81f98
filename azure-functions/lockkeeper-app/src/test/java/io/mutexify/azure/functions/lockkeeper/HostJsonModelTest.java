package io.mutexify.azure.functions.lockkeeper;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.model.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

/**
 * The top-level host.json's session settings against the model in HOST_JSON.md: a session slot is busy for the
 * session accept, the command and the idle timeout, so one instance handles
 * {@code maxConcurrentSessions / span} commands of distinct slots a second. The target is at least
 * {@value #TARGET_PER_SECOND} at a 50 ms command (the measured path is ~30 ms).
 */
class HostJsonModelTest {
    static final int TARGET_PER_SECOND = 100;
    private static final Duration ACCEPT = Duration.ofMillis(20);
    private static final Duration COMMAND = Duration.ofMillis(50);

    private static JsonNode hostJson() throws IOException {
        // The one host.json at the repository's top level, which both apps package.
        return Json.mapper().readTree(Path.of(System.getProperty("mutexify.hostJson", "../../host.json")).toFile());
    }

    @Test
    void oneInstanceKeepsUpWithTheTargetRateOfDistinctSlots() throws IOException {
        JsonNode sb = hostJson().path("extensions").path("serviceBus");
        int sessions = sb.path("maxConcurrentSessions").asInt();
        Duration idle = Duration.ofNanos(LocalTime.parse(sb.path("sessionIdleTimeout").asText()).toNanoOfDay());
        Duration span = ACCEPT.plus(COMMAND).plus(idle);
        double perSecond = sessions / (span.toNanos() / 1e9);
        assertThat(perSecond).as("%d sessions, idle %s: distinct slots per second per instance", sessions, idle)
                .isGreaterThanOrEqualTo(TARGET_PER_SECOND);
        // Idle above zero: a slot's back-to-back commands (a waiter's grant, its timers) keep their session.
        assertThat(idle).isPositive();
        // The session lock is renewed for as long as a handler may run.
        assertThat(sb.path("maxAutoLockRenewalDuration").asText()).isEqualTo(hostJson().path("functionTimeout").asText());
    }
}
