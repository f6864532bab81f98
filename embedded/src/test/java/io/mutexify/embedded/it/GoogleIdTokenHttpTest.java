package io.mutexify.embedded.it;

import static io.mutexify.embedded.it.ApiAssert.error;
import static io.mutexify.embedded.it.ApiAssert.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.frontface.auth.BadGoogleTokens;
import io.mutexify.frontface.auth.LocalGoogle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Google sign-in over HTTP against a real server whose key manager fetches certificates from a
 * local endpoint: a good ID token is accepted; a token failing any one check answers 401.
 */
class GoogleIdTokenHttpTest {
    @TempDir
    static Path dir;
    private static LocalGoogle google;
    private static TestServer server;

    @BeforeAll
    static void start() {
        google = new LocalGoogle();
        server = TestServer.start(dir, Map.of(
                "MUTEXIFY_AUTH", "signin",
                "MUTEXIFY_GOOGLE_CLIENT_IDS", LocalGoogle.CLIENT_ID + ", client-2.apps.googleusercontent.com",
                "MUTEXIFY_GOOGLE_CERTS_URL", google.certsUrl(),
                "MUTEXIFY_ALLOWED_DOMAINS", "example.com",
                "MUTEXIFY_ADMINS", "Root@Example.com"));
    }

    @AfterAll
    static void stop() {
        server.close();
        google.close();
    }

    private static String token(Consumer<Map<String, Object>> change) {
        return BadGoogleTokens.token(google, change);
    }

    private static void refused(String token) {
        TestHttp.Res r = server.as(token).get("/api/v1/me");
        error(r, 401, "unauthenticated");
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"mutexify\", error=\"invalid_token\"");
    }

    @Test
    void aValidTokenSignsInAsItsVerifiedEmail() {
        JsonNode me = ok(server.as(token(c -> c.put("email", "Alice@Example.com"))).get("/api/v1/me"), 200);

        assertThat(me.path("principal").asText()).isEqualTo("alice@example.com");
        assertThat(me.path("method").asText()).isEqualTo("google");
        assertThat(me.path("admin").asBoolean()).isFalse();
    }

    @Test
    void everyConfiguredClientIdAndBothIssuerSpellingsAreAccepted() {
        ok(server.as(token(c -> c.put("aud", "client-2.apps.googleusercontent.com"))).get("/api/v1/me"), 200);
        ok(server.as(token(c -> c.put("iss", "accounts.google.com"))).get("/api/v1/me"), 200);
    }

    @Test
    void anAdministratorFromTheConfigurationIsMarkedSo() {
        JsonNode me = ok(server.as(token(c -> c.put("email", "root@example.com"))).get("/api/v1/me"), 200);

        assertThat(me.path("admin").asBoolean()).isTrue();
    }

    @Test
    void aSignedInPersonMayCallTheApi() {
        String alice = token(c -> { });
        ok(server.as(alice).post("/api/v1/locks/google-slot", "{}"), 200);

        JsonNode slot = ok(server.as(alice).get("/api/v1/slots/google-slot"), 200);
        assertThat(slot.path("owners").get(0).asText()).isEqualTo("alice@example.com");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void aTokenFailingAnyOneCheckIsRefused(BadGoogleTokens.Case bad) {
        refused(bad.token());
    }

    static List<BadGoogleTokens.Case> badTokens() {
        return BadGoogleTokens.all(google);
    }

    @Test
    void theUiLearnsTheClientIdAndTheDevSignInIsAbsent() {
        JsonNode config = ok(server.http().get("/api/v1/auth/config"), 200);

        assertThat(config.path("googleClientId").asText()).isEqualTo(LocalGoogle.CLIENT_ID);
        assertThat(config.path("methods").toString()).isEqualTo("[\"google\",\"api_key\"]");
        error(server.http().post("/api/v1/auth/dev", "{\"email\":\"x@example.com\"}"), 404, "not_found");
    }
}
