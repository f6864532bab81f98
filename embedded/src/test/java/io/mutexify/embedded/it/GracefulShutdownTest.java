package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM stops the server cleanly: it exits, says so, and starts again on the same data with the lock intact. */
class GracefulShutdownTest {
    @TempDir
    Path dir;

    @Test
    void sigtermClosesCleanlyAndTheDataIsThereAfterARestart() throws Exception {
        Path data = dir.resolve("data");
        String token;
        long fence;
        try (ServerProcess first = ServerProcess.start(data, dir.resolve("first.log"), Map.of())) {
            JsonNode lock = first.http().post("/api/v1/locks/term", "{\"timeout\":600,\"owner\":\"job-1\"}").json();
            token = lock.get("token").asText();
            fence = lock.get("fence").asLong();

            first.process().destroy(); // SIGTERM
            assertThat(first.process().waitFor(20, TimeUnit.SECONDS)).as(first.output()).isTrue();
            assertThat(first.process().exitValue()).as("exit status after SIGTERM").isEqualTo(143);
            assertThat(first.output()).contains("stopped");
            assertThat(first.output()).doesNotContain("ERROR");
        }
        try (ServerProcess second = ServerProcess.start(data, dir.resolve("second.log"), Map.of())) {
            TestHttp.Res held = second.http().get("/api/v1/locks/term/" + token);
            assertThat(held.status()).as(held.text()).isEqualTo(200);
            assertThat(held.json().get("fence").asLong()).isEqualTo(fence);
            assertThat(held.json().get("owner").asText()).isEqualTo("job-1");
        }
    }
}
