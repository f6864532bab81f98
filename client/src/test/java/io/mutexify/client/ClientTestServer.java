package io.mutexify.client;

import io.mutexify.embedded.EmbeddedMutexify;
import io.mutexify.embedded.config.EmbeddedConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A real embedded server for the client's tests: loopback, a free port, the test's data folder. */
final class ClientTestServer implements AutoCloseable {
    private final EmbeddedMutexify server;
    private boolean closed;

    private ClientTestServer(EmbeddedMutexify server) {
        this.server = server;
    }

    static ClientTestServer start(Path dataDir) {
        // Configured from this map alone, never the process environment, so exported MUTEXIFY_* names cannot leak in.
        Map<String, String> env = new HashMap<>();
        env.put("MUTEXIFY_PORT", "0");
        env.put("MUTEXIFY_DATA_DIR", dataDir.toString());
        env.put("MUTEXIFY_WORKERS", "4");
        // Open mode (every caller the administrator "anonymous"): these tests are about the client, not sign-in.
        env.put("MUTEXIFY_AUTH", "open");
        return new ClientTestServer(EmbeddedMutexify.start(EmbeddedConfig.from(env::get)));
    }

    URI url() {
        return server.url();
    }

    /** A client with short timeouts, so failures show quickly. */
    MutexifyClient client() {
        return clientFor(url());
    }

    static MutexifyClient clientFor(URI url) {
        return MutexifyClient.builder()
                .baseUrl(url)
                .connectTimeout(java.time.Duration.ofSeconds(2))
                .requestTimeout(java.time.Duration.ofSeconds(5))
                .retryBackoff(java.time.Duration.ofMillis(50))
                .lossMargin(java.time.Duration.ofMillis(500))
                .build();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.close();
        }
    }
}
