package io.mutexify.azure.functions.frontface;

import io.mutexify.azure.cosmos.CosmosTestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A test class with the whole Azure shape wired for it ({@link WiredAzure}) and Alice signed in with Google. */
@ExtendWith(CosmosTestServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WithWiredAzure {
    WiredAzure azure;
    /** alice@example.com's Google ID token. */
    String alice;

    @BeforeAll
    void wire() {
        azure = new WiredAzure(Map.of());
        alice = azure.googleToken("alice@example.com");
    }

    @AfterAll
    void unwire() {
        azure.close();
    }
}
