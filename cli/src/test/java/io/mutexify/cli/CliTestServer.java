package io.mutexify.cli;

import io.mutexify.client.MutexifyClient;
import io.mutexify.embedded.EmbeddedMutexify;
import io.mutexify.embedded.config.EmbeddedConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A real embedded server for the CLI's tests: loopback, a free port, the test's data folder. */
final class CliTestServer implements AutoCloseable {
    private final EmbeddedMutexify server;
    private boolean closed;

    private CliTestServer(EmbeddedMutexify server) {
        this.server = server;
    }

    static CliTestServer start(Path dataDir) {
        // Configured from this map alone, never the process environment, so exported MUTEXIFY_* names cannot leak in.
        Map<String, String> env = new HashMap<>();
        env.put("MUTEXIFY_PORT", "0");
        env.put("MUTEXIFY_DATA_DIR", dataDir.toString());
        env.put("MUTEXIFY_WORKERS", "4");
        // Open mode (every caller the administrator "anonymous"): these tests are about the client, not sign-in.
        env.put("MUTEXIFY_AUTH", "open");
        return new CliTestServer(EmbeddedMutexify.start(EmbeddedConfig.from(env::get)));
    }

    URI url() {
        return server.url();
    }

    /** A client for the test's own checks. */
    MutexifyClient client() {
        return MutexifyClient.builder().baseUrl(url()).requestTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.close();
        }
    }
}
