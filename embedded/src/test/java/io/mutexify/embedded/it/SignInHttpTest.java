package io.mutexify.embedded.it;

import static io.mutexify.embedded.it.ApiAssert.error;
import static io.mutexify.embedded.it.ApiAssert.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.embedded.auth.SignInKeyFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev sign-in, API keys, /me and /auth/config, the rate limit and CORS, over HTTP on a real server. */
class SignInHttpTest {
    private static final String UI = "https://ui.example.com";

    /** Shared by the tests that need no settings of their own; each uses principals of its own. */
    @TempDir
    static Path sharedDir;
    private static TestServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = TestServer.start(sharedDir, Map.of("MUTEXIFY_AUTH", "signin", "MUTEXIFY_ALLOWED_DOMAINS", "example.com",
                "MUTEXIFY_CORS_ORIGINS", UI, "MUTEXIFY_ADMINS", "root@example.com"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void onLoopbackTheDefaultIsTheDevSignIn() {
        JsonNode config = ok(server.http().get("/api/v1/auth/config"), 200);
        assertThat(config.path("methods").toString()).isEqualTo("[\"dev\",\"api_key\"]");
        assertThat(config.path("googleClientId").isNull()).isTrue();

        String token = SignIn.dev(server, " Alice@Example.com ");
        JsonNode me = ok(server.as(token).get("/api/v1/me"), 200);
        assertThat(me.path("principal").asText()).isEqualTo("alice@example.com");
        assertThat(me.path("method").asText()).isEqualTo("dev");
        assertThat(me.path("admin").asBoolean()).isFalse();
    }

    @Test
    void withoutCredentialsOrWithBadOnesEveryCallIs401() {
        TestHttp.Res none = server.http().get("/api/v1/slots");
        error(none, 401, "unauthenticated");
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"mutexify\"");

        String token = SignIn.dev(server, "alice@example.com");
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
        TestHttp.Res bad = server.as(tampered).get("/api/v1/me");
        error(bad, 401, "unauthenticated");
        assertThat(bad.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        error(server.http().send("GET", "/api/v1/me", null, "Authorization", "Basic YWxpY2U6cHc="), 401, "unauthenticated");
        error(server.http().post("/api/v1/locks/x", "{}"), 401, "unauthenticated");
    }

    @Test
    void theDevSignInChecksTheAddressAndTheDomainAllowList() {
        error(server.http().post("/api/v1/auth/dev", "{\"email\":\"not an address\"}"), 400, "invalid_email");
        error(server.http().post("/api/v1/auth/dev", "{}"), 400, "invalid_email");
        error(server.http().post("/api/v1/auth/dev", "{\"email\":\"eve@elsewhere.org\"}"), 403, "domain_not_allowed");
        error(server.http().get("/api/v1/auth/dev"), 405, "method_not_allowed");
    }

    @Test
    void theSignInKeyIsPrivateAndSignInsSurviveARestart() throws IOException {
        String token;
        try (TestServer first = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin"))) {
            token = SignIn.dev(first, "alice@example.com");
        }
        Path key = dir.resolve(SignInKeyFile.FILE_NAME);
        assertThat(Files.size(key)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");

        try (TestServer again = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin"))) {
            ok(again.as(token).get("/api/v1/me"), 200);
            // Each server has a key of its own: a token from another one means nothing here.
            error(server.as(token).get("/api/v1/me"), 401, "unauthenticated");
        }
    }

    @Test
    void withTheDevSignInOffItsEndpointDoesNotExist() {
        try (TestServer off = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin", "MUTEXIFY_DEV_SIGNIN", "false"))) {
            error(off.http().post("/api/v1/auth/dev", "{\"email\":\"alice@example.com\"}"), 404, "not_found");
            assertThat(ok(off.http().get("/api/v1/auth/config"), 200).path("methods").toString()).isEqualTo("[\"api_key\"]");
        }
    }

    @Test
    void anApiKeyIsShownOnceActsAsItsMakerAndStopsWhenRevoked() {
        String signIn = SignIn.dev(server, "keymaker@example.com");
        TestHttp.Res created = server.as(signIn).post("/api/v1/keys", "{\"name\":\"ci-deploy\",\"expiresIn\":3600}");
        JsonNode k = ok(created, 201);
        String key = k.path("key").asText();
        String id = k.path("id").asText();
        assertThat(key).startsWith("mtx_" + id + "_");
        assertThat(k.path("expiresAt").isTextual()).isTrue();
        assertThat(created.header("Cache-Control")).isEqualTo("no-store");

        JsonNode me = ok(server.as(key).get("/api/v1/me"), 200);
        assertThat(me.path("principal").asText()).isEqualTo("keymaker@example.com");
        assertThat(me.path("method").asText()).isEqualTo("api_key");
        assertThat(me.path("keyId").asText()).isEqualTo(id);
        ok(server.as(key).post("/api/v1/locks/by-key", "{}"), 200);

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                server.as(signIn).get("/api/v1/keys").json().path("keys").get(0).path("lastUsedAt").isTextual());
        TestHttp.Res listed = server.as(signIn).get("/api/v1/keys");
        assertThat(listed.text()).contains("ci-deploy").doesNotContain(key).doesNotContain(key.substring(key.lastIndexOf('_') + 1));

        error(server.as(key).post("/api/v1/keys", "{\"name\":\"child\"}"), 403, "sign_in_required");
        error(server.as(key).get("/api/v1/keys"), 403, "sign_in_required");
        String wrongSecret = key.substring(0, key.length() - 1) + (key.endsWith("0") ? "1" : "0");
        error(server.as(wrongSecret).get("/api/v1/me"), 401, "unauthenticated");

        assertThat(server.as(signIn).delete("/api/v1/keys/" + id).status()).isEqualTo(204);
        error(server.as(key).get("/api/v1/me"), 401, "unauthenticated");
        error(server.as(signIn).delete("/api/v1/keys/" + id), 404, "key_not_found");
        assertThat(ok(server.as(signIn).get("/api/v1/keys"), 200).path("keys").size()).isZero();
    }

    @Test
    void aKeyNeedsANameAndASensibleLifetime() {
        String signIn = SignIn.dev(server, "careless@example.com");
        error(server.as(signIn).post("/api/v1/keys", "{}"), 400, "invalid_name");
        error(server.as(signIn).post("/api/v1/keys", "{\"name\":\"x\",\"expiresIn\":0}"), 400, "invalid_expiresIn");
        error(server.as(signIn).post("/api/v1/keys", "{\"name\":\"x\",\"secret\":\"mine\"}"), 400, "unknown_field");
    }

    @Test
    void anAutoRegisteredSlotIsSeenOnlyByItsRegistrantAndAdministrators() {
        String alice = SignIn.dev(server, "registrant@example.com");
        String bob = SignIn.dev(server, "bystander@example.com");
        ok(server.as(alice).post("/api/v1/locks/auto-1", "{}"), 200);

        error(server.as(bob).get("/api/v1/slots/auto-1"), 404, "slot_not_found");
        error(server.as(bob).get("/api/v1/locks/auto-1"), 404, "not_held");
        assertThat(ok(server.as(bob).get("/api/v1/slots"), 200).path("slots").size()).isZero();
        error(server.as(bob).post("/api/v1/locks/auto-1", "{}"), 403, "forbidden");
        JsonNode slot = ok(server.as(alice).get("/api/v1/slots/auto-1"), 200);
        assertThat(slot.path("owners").toString()).isEqualTo("[\"registrant@example.com\"]");
        String root = SignIn.dev(server, "root@example.com");
        assertThat(ok(server.as(root).get("/api/v1/me"), 200).path("admin").asBoolean()).isTrue();
        ok(server.as(root).get("/api/v1/slots/auto-1"), 200);

        ok(server.as(alice).patch("/api/v1/slots/auto-1", "{\"members\":[\"Bystander@Example.com\"]}"), 200);
        ok(server.as(bob).get("/api/v1/slots/auto-1"), 200);
    }

    @Test
    void corsAnswersPreflightsForTheUiOriginOnly() {
        TestHttp.Res pre = server.http().send("OPTIONS", "/api/v1/slots", null,
                "Origin", UI, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization");
        assertThat(pre.status()).isEqualTo(204);
        assertThat(pre.header("Access-Control-Allow-Origin")).isEqualTo(UI);
        assertThat(pre.header("Access-Control-Allow-Headers")).contains("Authorization");
        assertThat(pre.header("Access-Control-Allow-Methods")).contains("POST");

        TestHttp.Res other = server.http().send("OPTIONS", "/api/v1/slots", null,
                "Origin", "https://evil.example.net", "Access-Control-Request-Method", "POST");
        error(other, 403, "origin_not_allowed");
        assertThat(other.header("Access-Control-Allow-Origin")).isNull();

        TestHttp.Res get = server.http().send("GET", "/api/v1/auth/config", null, "Origin", UI);
        assertThat(get.header("Access-Control-Allow-Origin")).isEqualTo(UI);
        TestHttp.Res denied = server.http().send("GET", "/api/v1/me", null, "Origin", UI);
        assertThat(denied.status()).isEqualTo(401);
        assertThat(denied.header("Access-Control-Expose-Headers")).contains("WWW-Authenticate");
    }

    @Test
    void withoutConfiguredOriginsThereAreNoCorsHeaders() {
        try (TestServer plain = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin"))) {
            TestHttp.Res get = plain.http().send("GET", "/api/v1/auth/config", null, "Origin", UI);
            assertThat(get.raw().headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
            TestHttp.Res pre = plain.http().send("OPTIONS", "/api/v1/slots", null, "Origin", UI, "Access-Control-Request-Method", "POST");
            assertThat(pre.header("Access-Control-Allow-Origin")).isNull();
        }
    }

    @Test
    void changesBeyondTheRateAre429WithRetryAfterPerPrincipal() {
        try (TestServer server = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin",
                "MUTEXIFY_RATE_LIMIT_PER_SECOND", "1", "MUTEXIFY_RATE_LIMIT_BURST", "2"))) {
            limitedPerPrincipal(server);
        }
    }

    private static void limitedPerPrincipal(TestServer server) {
        String hasty = SignIn.dev(server, "hasty@example.com");
        String calm = SignIn.dev(server, "calm@example.com");

        // The burst of 2 goes at once; within the next few calls (well under a second) the bucket is empty.
        TestHttp.Res limited = null;
        int n = 0;
        while (limited == null && n < 10) {
            TestHttp.Res r = server.as(hasty).post("/api/v1/slots", "{\"id\":\"r" + (++n) + "\"}");
            if (r.status() != 201) {
                limited = r;
            }
        }
        assertThat(n).as("calls until refused").isBetween(3, 10);
        error(limited, 429, "rate_limited");
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 2);
        error(server.as(hasty).get("/api/v1/slots/r" + n), 404, "slot_not_found");

        ok(server.as(hasty).get("/api/v1/slots"), 200);
        ok(server.as(calm).post("/api/v1/slots", "{\"id\":\"calm\"}"), 201);
    }
}
