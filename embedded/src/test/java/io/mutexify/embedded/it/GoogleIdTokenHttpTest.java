package io.mutexify.embedded.it;

import static io.mutexify.embedded.it.ApiAssert.error;
import static io.mutexify.embedded.it.ApiAssert.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.frontface.auth.LocalGoogle;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
        Map<String, Object> c = LocalGoogle.claims("alice@example.com");
        change.accept(c);
        return google.mint(c);
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

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        refused(token(c -> c.put("aud", "someone-else.apps.googleusercontent.com")));
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() {
        refused(token(c -> c.put("iss", "https://accounts.example.com")));
    }

    @Test
    void anExpiredTokenIsRefused() {
        long now = Instant.now().getEpochSecond();
        refused(token(c -> {
            c.put("iat", now - 7200);
            c.put("exp", now - 3600);
        }));
    }

    @Test
    void aTokenIssuedInTheFutureBeyondTheClockSkewIsRefused() {
        long now = Instant.now().getEpochSecond();
        refused(token(c -> {
            c.put("iat", now + 3600);
            c.put("exp", now + 7200);
        }));
    }

    @Test
    void aTokenWithABadSignatureIsRefused() {
        String good = token(c -> { });
        int dot = good.lastIndexOf('.');
        char last = good.charAt(dot + 5);
        String tampered = good.substring(0, dot + 5) + (last == 'A' ? 'B' : 'A') + good.substring(dot + 6);
        refused(tampered);

        // Same signature, other claims: the signature no longer covers them.
        String otherClaims = token(c -> c.put("email", "mallory@example.com"));
        refused(otherClaims.substring(0, otherClaims.lastIndexOf('.')) + good.substring(dot));
    }

    @Test
    void aTokenWhoseEmailIsNotVerifiedIsRefused() {
        refused(token(c -> c.put("email_verified", false)));
        refused(token(c -> c.remove("email_verified")));
    }

    @Test
    void anUnsignedTokenIsRefused() {
        refused(LocalGoogle.mint(LocalGoogle.header("none"), LocalGoogle.claims("alice@example.com"), null));
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() {
        refused(LocalGoogle.mint(LocalGoogle.header("RS256"), LocalGoogle.claims("alice@example.com"),
                LocalGoogle.rsa().getPrivate()));
    }

    @Test
    void anEmailOutsideTheAllowedDomainsIsRefused() {
        refused(token(c -> c.put("email", "alice@elsewhere.org")));
    }

    @Test
    void garbageIsRefused() {
        refused("not-a-jwt");
        refused("a.b.c");
    }

    @Test
    void theUiLearnsTheClientIdAndTheDevSignInIsAbsent() {
        JsonNode config = ok(server.http().get("/api/v1/auth/config"), 200);

        assertThat(config.path("googleClientId").asText()).isEqualTo(LocalGoogle.CLIENT_ID);
        assertThat(config.path("methods").toString()).isEqualTo("[\"google\",\"api_key\"]");
        error(server.http().post("/api/v1/auth/dev", "{\"email\":\"x@example.com\"}"), 404, "not_found");
    }
}
