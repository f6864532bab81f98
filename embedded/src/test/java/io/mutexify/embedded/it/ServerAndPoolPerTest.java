package io.mutexify.embedded.it;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** HTTP tests with a fresh server and a thread pool per test, for calls that block (waits, long polls) in the background. */
abstract class ServerAndPoolPerTest extends ServerPerTest {
    ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }
}
