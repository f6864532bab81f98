package io.mutexify.azure.functions.frontface;

import static io.mutexify.azure.functions.frontface.WiredAzure.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.model.auth.ApiKey;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API keys on Azure: a person signed in with Google makes one (kept in Cosmos DB, only its hash),
 * a program uses it to take a lock as that person, it cannot make further keys, only its maker (or
 * an administrator) revokes it, and once revoked it no longer signs anything in.
 */
class AzureSignInKeysTest extends WithWiredAzure {
    private String bob;

    @BeforeAll
    void signInOthers() {
        bob = azure.googleToken("bob@example.com");
    }

    private static JsonNode ok(FakeRequest.Response r, int status) {
        assertThat(r.getStatusCode()).as(r.text()).isEqualTo(status);
        return r.text().isEmpty() ? null : json(r);
    }

    @Test
    void aKeyIsCreatedUsedAndRevoked() {
        JsonNode created = ok(azure.call("POST", "/api/v1/keys", "{\"name\":\"ci-deploy\",\"expiresIn\":3600}", alice), 201);
        String id = created.path("id").asText();
        String key = created.path("key").asText();
        assertThat(key).startsWith("mtx_" + id + "_");
        assertThat(created.path("principal").asText()).isEqualTo("alice@example.com");

        ApiKey stored = azure.frontStore.apiKeys().find(id).orElseThrow();
        assertThat(stored.principal()).isEqualTo("alice@example.com");
        assertThat(stored.secretHash()).doesNotContain(key.substring(key.lastIndexOf('_') + 1));

        // used: the program acts as alice
        JsonNode me = ok(azure.call("GET", "/api/v1/me", null, key), 200);
        assertThat(me.path("method").asText()).isEqualTo("api_key");
        assertThat(me.path("keyId").asText()).isEqualTo(id);
        JsonNode lock = ok(azure.call("POST", "/api/v1/locks/keyed-slot", "{\"owner\":\"ci\",\"timeout\":60}", key), 200);
        assertThat(lock.path("principal").asText()).isEqualTo("alice@example.com");
        ok(azure.call("DELETE", "/api/v1/locks/keyed-slot/" + lock.path("token").asText(), null, key), 204);

        // a key cannot make keys; its maker lists it, without the secret, with its last use
        assertThat(azure.call("POST", "/api/v1/keys", "{\"name\":\"successor\"}", key).getStatusCode()).isEqualTo(403);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode list = ok(azure.call("GET", "/api/v1/keys", null, alice), 200);
            assertThat(list.path("keys")).hasSize(1);
            assertThat(list.path("keys").get(0).path("id").asText()).isEqualTo(id);
            assertThat(list.path("keys").get(0).has("key")).isFalse();
            assertThat(list.path("keys").get(0).path("lastUsedAt").isNull()).isFalse();
        });
        assertThat(ok(azure.call("GET", "/api/v1/keys", null, bob), 200).path("keys")).isEmpty();

        // revoked: only by its maker; then it signs nobody in
        assertThat(azure.call("DELETE", "/api/v1/keys/" + id, null, bob).getStatusCode()).isEqualTo(404);
        assertThat(azure.call("GET", "/api/v1/me", null, key).getStatusCode()).isEqualTo(200);
        ok(azure.call("DELETE", "/api/v1/keys/" + id, null, alice), 204);
        FakeRequest.Response after = azure.call("GET", "/api/v1/me", null, key);
        assertThat(after.getStatusCode()).isEqualTo(401);
        assertThat(after.getHeader("WWW-Authenticate")).contains("invalid_token");
        assertThat(azure.call("POST", "/api/v1/locks/keyed-slot", "{\"timeout\":60}", key).getStatusCode()).isEqualTo(401);
        assertThat(ok(azure.call("GET", "/api/v1/keys", null, alice), 200).path("keys")).isEmpty();
        assertThat(azure.frontStore.apiKeys().find(id).orElseThrow().revokedAt()).isNotNull();
    }

    @Test
    void aMadeUpOrTamperedKeyIsRefused() {
        JsonNode created = ok(azure.call("POST", "/api/v1/keys", "{\"name\":\"tamper\"}", alice), 201);
        String key = created.path("key").asText();
        String tampered = key.substring(0, key.length() - 1) + (key.endsWith("0") ? "1" : "0");
        assertThat(azure.call("GET", "/api/v1/me", null, tampered).getStatusCode()).isEqualTo(401);
        assertThat(azure.call("GET", "/api/v1/me", null, "mtx_0000000000000000_" + "0".repeat(64)).getStatusCode()).isEqualTo(401);
        assertThat(azure.call("GET", "/api/v1/me", null, key).getStatusCode()).isEqualTo(200);
    }
}
