package io.mutexify.azure.functions.frontface;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.azure.cosmos.CosmosTestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rate limit and CORS on Azure come from the Frontface's app settings, as on the local server:
 * changes are limited per principal (one person's burst does not slow another), and browser
 * preflights of a listed origin are answered by the functions themselves.
 */
@ExtendWith(CosmosTestServer.class)
class AzureSignInLimitsTest {
    private static final String UI = "https://locks.example.com";
    private static WiredAzure azure;

    @BeforeAll
    static void wire() {
        azure = new WiredAzure(Map.of("MUTEXIFY_RATE_LIMIT_PER_SECOND", "1", "MUTEXIFY_RATE_LIMIT_BURST", "2",
                "MUTEXIFY_CORS_ORIGINS", UI));
    }

    @AfterAll
    static void unwire() {
        azure.close();
    }

    @Test
    void changesAreRateLimitedPerPrincipal() {
        String alice = azure.googleToken("alice@example.com");
        String bob = azure.googleToken("bob@example.com");
        assertThat(azure.call("POST", "/api/v1/slots", "{\"id\":\"rl-1\"}", alice).getStatusCode()).isEqualTo(201);
        assertThat(azure.call("POST", "/api/v1/slots", "{\"id\":\"rl-2\"}", alice).getStatusCode()).isEqualTo(201);
        FakeRequest.Response third = azure.call("POST", "/api/v1/slots", "{\"id\":\"rl-3\"}", alice);
        assertThat(third.getStatusCode()).as(third.text()).isEqualTo(429);
        assertThat(third.getHeader("Retry-After")).isNotBlank();
        assertThat(azure.frontStore.load("rl-3").isRegistered()).isFalse();
        // reads are not limited, and bob has a bucket of his own
        assertThat(azure.call("GET", "/api/v1/slots", null, alice).getStatusCode()).isEqualTo(200);
        assertThat(azure.call("POST", "/api/v1/slots", "{\"id\":\"rl-4\"}", bob).getStatusCode()).isEqualTo(201);
    }

    @Test
    void preflightsOfTheConfiguredOriginAreAnsweredAndOthersRefused() {
        FakeRequest.Response pre = azure.call("OPTIONS", "/api/v1/locks/cors-1", null, null,
                "Origin", UI, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization");
        assertThat(pre.getStatusCode()).isEqualTo(204);
        assertThat(pre.getHeader("Access-Control-Allow-Origin")).isEqualTo(UI);
        assertThat(pre.getHeader("Access-Control-Allow-Headers")).contains("Authorization");

        FakeRequest.Response other = azure.call("OPTIONS", "/api/v1/locks/cors-1", null, null,
                "Origin", "https://evil.example.com", "Access-Control-Request-Method", "POST");
        assertThat(other.getStatusCode()).isEqualTo(403);
        assertThat(other.getHeader("Access-Control-Allow-Origin")).isNull();

        FakeRequest.Response config = azure.call("GET", "/api/v1/auth/config", null, null, "Origin", UI);
        assertThat(config.getHeader("Access-Control-Allow-Origin")).isEqualTo(UI);
        FakeRequest.Response anonymous = azure.call("GET", "/api/v1/slots", null, null, "Origin", UI);
        assertThat(anonymous.getStatusCode()).isEqualTo(401);
        assertThat(anonymous.getHeader("Access-Control-Allow-Origin")).as("the browser may read the 401").isEqualTo(UI);
    }
}
