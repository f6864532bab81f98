package io.mutexify.embedded.it;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** HTTP tests that each start from an empty server: a fresh one per test, on the test's own data folder. */
abstract class ServerPerTest {
    @TempDir
    Path dir;
    TestServer server;
    TestHttp http;

    @BeforeEach
    void startServer() {
        server = TestServer.start(dir, serverSettings());
        http = server.http();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** MUTEXIFY_* settings beyond {@link TestServer}'s defaults. */
    Map<String, String> serverSettings() {
        return Map.of();
    }
}
