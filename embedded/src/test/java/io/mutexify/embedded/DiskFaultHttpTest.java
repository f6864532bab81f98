package io.mutexify.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.embedded.config.EmbeddedConfig;
import io.mutexify.embedded.it.TestHttp;
import io.mutexify.model.port.FaultySlotStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that cannot commit (a full disk, a failed fsync), over real HTTP: every change answers
 * 503 with Retry-After and a JSON error, nothing of it is visible, nothing acknowledged before is
 * lost, and once the fault clears the same Idempotency-Keys go through, also across a restart.
 */
class DiskFaultHttpTest {
    @TempDir
    Path dir;

    private EmbeddedMutexify server;
    private FaultySlotStore store;
    private TestHttp http;

    private EmbeddedConfig config() {
        Map<String, String> env = Map.of("MUTEXIFY_AUTH", "open", "MUTEXIFY_PORT", "0",
                "MUTEXIFY_DATA_DIR", dir.toString(), "MUTEXIFY_REPLY_TIMEOUT_MS", "10000");
        return EmbeddedConfig.from(env::get);
    }

    @BeforeEach
    void start() {
        server = EmbeddedMutexify.start(config(), real -> store = new FaultySlotStore(real));
        http = new TestHttp(server.url());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TestHttp.Res send(String method, String path, String body, String key) {
        return http.send(method, path, body, "Idempotency-Key", key);
    }

    private static void assertUnavailable(TestHttp.Res res) {
        assertThat(res.status()).as(res.text()).isEqualTo(503);
        assertThat(res.header("Retry-After")).isEqualTo("1");
        assertThat(res.header("Content-Type")).startsWith("application/json");
        assertThat(res.json().path("error").asText()).isEqualTo("store_unavailable");
        assertThat(res.json().path("message").asText()).isNotBlank();
    }

    @Test
    void aFailingCommitAcknowledgesNothingLosesNothingAndTheServiceRecovers() {
        JsonNode held = send("POST", "/api/v1/locks/a", "{\"owner\":\"before\",\"timeout\":300}", "key-a").json();
        String token = held.path("token").asText();
        store.failing.set(true);

        long started = System.nanoTime();
        TestHttp.Res acquire = send("POST", "/api/v1/locks/b", "{\"owner\":\"during\",\"timeout\":300}", "key-b");
        TestHttp.Res release = send("DELETE", "/api/v1/locks/a/" + token, null, "key-release");
        TestHttp.Res waiting = send("POST", "/api/v1/locks/a", "{\"owner\":\"waiter\",\"timeout\":300,\"wait\":20}", "key-w");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertUnavailable(acquire);
        assertUnavailable(release);
        assertUnavailable(waiting);
        assertThat(took).as("answered at once, not at the reply timeout").isLessThan(Duration.ofSeconds(5));
        assertThat(store.refused.get()).isGreaterThanOrEqualTo(3);
        // Nothing half-written: b was never registered, a is still held by the acknowledged grant.
        assertThat(http.get("/api/v1/slots/b").status()).isEqualTo(404);
        JsonNode a = http.get("/api/v1/slots/a").json();
        assertThat(a.path("lock").path("fence").asLong()).isEqualTo(held.path("fence").asLong());
        assertThat(a.path("waiting").asInt()).isZero();
        assertThat(http.get("/metrics").text()).contains("mutexify_store_unavailable_count");

        store.failing.set(false);

        JsonNode b = send("POST", "/api/v1/locks/b", "{\"owner\":\"during\",\"timeout\":300}", "key-b").json();
        assertThat(b.path("fence").asLong()).isEqualTo(1);
        assertThat(send("DELETE", "/api/v1/locks/a/" + token, null, "key-release").status()).isEqualTo(204);
        assertThat(send("POST", "/api/v1/locks/a", "{\"owner\":\"before\",\"timeout\":300}", "key-a").json()
                .path("token").asText()).as("the first grant, stored").isEqualTo(token);

        server.close();
        server = EmbeddedMutexify.start(config());
        http = new TestHttp(server.url());
        assertThat(http.get("/api/v1/locks/b").json().path("fence").asLong()).isEqualTo(1);
        assertThat(http.get("/api/v1/locks/a").status()).as("the acknowledged release survived").isEqualTo(404);
        assertThat(http.get("/api/v1/slots/a").json().path("fence").asLong()).isEqualTo(held.path("fence").asLong());
    }
}
