package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeHttpTest {
    @TempDir
    Path dir;

    @Test
    void serverAnswersHealthAndReadiness() {
        try (TestServer server = TestServer.start(dir)) {
            assertThat(server.http().get("/healthz").status()).isEqualTo(200);
            assertThat(server.http().get("/readyz").json().get("status").asText()).isEqualTo("ready");
        }
    }
}
