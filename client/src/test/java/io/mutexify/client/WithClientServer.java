package io.mutexify.client;

import io.mutexify.embedded.it.TestServer;
import io.mutexify.embedded.it.WithTestServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class with a real embedded server of its own and a client on it; the CLI's tests use it too. */
public abstract class WithClientServer extends WithTestServer {
    private static final Map<String, String> SETTINGS = Map.of("MUTEXIFY_WORKERS", "4");

    protected MutexifyClient client;

    @BeforeAll
    protected void connect() {
        client = clientFor(server.url());
    }

    @AfterAll
    protected void disconnect() {
        client.close();
    }

    @Override
    protected Map<String, String> serverSettings() {
        return SETTINGS;
    }

    /** A server of a test's own (one it stops, say), set up as the class's. */
    public static TestServer startOwnServer(Path dataDir) {
        return TestServer.start(dataDir, SETTINGS);
    }

    /** A client with short timeouts, so failures show quickly. */
    public static MutexifyClient clientFor(URI url) {
        return MutexifyClient.builder()
                .baseUrl(url)
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(5))
                .retryBackoff(Duration.ofMillis(50))
                .lossMargin(Duration.ofMillis(500))
                .build();
    }
}
