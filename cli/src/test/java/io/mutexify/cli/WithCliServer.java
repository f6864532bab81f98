package io.mutexify.cli;

import io.mutexify.client.MutexifyClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A test class with a real embedded server of its own (classes run side by side) and a client for its checks. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WithCliServer {
    CliTestServer server;
    MutexifyClient client;

    @BeforeAll
    void startServer(@TempDir Path dataDir) {
        server = CliTestServer.start(dataDir);
        client = server.client();
    }

    @AfterAll
    void stopServer() {
        client.close();
        server.close();
    }
}
