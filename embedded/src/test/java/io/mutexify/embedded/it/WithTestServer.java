package io.mutexify.embedded.it;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test class with a real embedded server of its own, started once for the class on a fresh data
 * folder (classes run side by side, each with its server). Client and CLI tests extend it too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class WithTestServer {
    protected TestServer server;

    @BeforeAll
    protected void startServer(@TempDir Path dataDir) {
        server = TestServer.start(dataDir, serverSettings());
    }

    @AfterAll
    protected void stopServer() {
        server.close();
    }

    /** MUTEXIFY_* settings beyond {@link TestServer}'s defaults. */
    protected Map<String, String> serverSettings() {
        return Map.of();
    }
}
