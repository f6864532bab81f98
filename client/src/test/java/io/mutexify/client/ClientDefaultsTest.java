package io.mutexify.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.embedded.it.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults a newcomer never has to set: the owner label names host and process; the URL defaults as the CLI's. */
class ClientDefaultsTest {
    @Test
    void theOwnerLabelIsHostAndPidUnlessSetOrCleared(@TempDir Path dir) {
        try (TestServer server = WithClientServer.startOwnServer(dir);
             MutexifyClient client = MutexifyClient.builder().baseUrl(server.url()).build();
             MutexifyClient anonymous = MutexifyClient.builder().baseUrl(server.url()).owner(null).build()) {
            try (Lease lease = client.acquire(LockRequest.of("defaults", Duration.ofSeconds(30)))) {
                assertThat(lease.lock().owner()).isEqualTo(OwnerLabel.hostAndPid())
                        .endsWith(":" + ProcessHandle.current().pid());
            }
            try (Lease lease = anonymous.acquire(LockRequest.of("defaults", Duration.ofSeconds(30)))) {
                assertThat(lease.lock().owner()).as("the server's default: the principal").isEqualTo(lease.lock().principal());
            }
        }
    }

    @Test
    void fromEnvironmentDefaultsTheUrlLikeTheCli() {
        // The tests run without MUTEXIFY_URL: the builder still has a server to talk to.
        assertThat(System.getenv("MUTEXIFY_URL")).isNull();
        try (MutexifyClient client = MutexifyClient.builder().fromEnvironment().build()) {
            assertThat(client).isNotNull();
        }
        assertThat(MutexifyClientBuilder.DEFAULT_URL).isEqualTo("http://127.0.0.1:8080");
    }
}
