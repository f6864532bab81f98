package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Google ID tokens that are properly signed by Google's key but must still not get in: a consumer
 * account on a company address (no or another {@code hd}), a token not valid yet ({@code nbf}),
 * tokens without {@code exp} or {@code iat}. Each is a plain 401, with nothing but a line in the log.
 */
class HostileTokensTest {
    @TempDir
    static Path dir;

    private static LocalGoogle google;
    private static TestServer server;

    @BeforeAll
    static void start() {
        google = new LocalGoogle();
        server = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin",
                "MUTEXIFY_GOOGLE_CLIENT_IDS", LocalGoogle.CLIENT_ID,
                "MUTEXIFY_GOOGLE_CERTS_URL", google.certsUrl(),
                "MUTEXIFY_ALLOWED_DOMAINS", "example.com"));
    }

    @AfterAll
    static void stop() {
        server.close();
        google.close();
    }

    @Test
    void aWorkspaceAccountOfTheAllowedDomainGetsIn() {
        assertThat(server.as(token(c -> { })).get("/api/v1/me").status()).isEqualTo(200);
    }

    @Test
    void aConsumerAccountOnACompanyAddressIsRefused() {
        refused(token(c -> c.remove("hd")));
    }

    @Test
    void anAccountOfAnotherWorkspaceDomainIsRefused() {
        refused(token(c -> c.put("hd", "attacker.example")));
    }

    @Test
    void aTokenNotValidYetIsRefused() {
        refused(token(c -> c.put("nbf", Instant.now().getEpochSecond() + 3600)));
    }

    @Test
    void aTokenWithoutExpiryIsA401NotA500() {
        refused(token(c -> c.remove("exp")));
    }

    @Test
    void aTokenWithoutIssueTimeIsA401NotA500() {
        refused(token(c -> c.remove("iat")));
    }

    @Test
    void timeClaimsOfTheWrongTypeAreA401() {
        refused(token(c -> c.put("exp", "tomorrow")));
        refused(token(c -> c.put("nbf", "now")));
    }

    private static String token(Consumer<Map<String, Object>> change) {
        Map<String, Object> c = LocalGoogle.claims("alice@example.com");
        change.accept(c);
        return google.mint(c);
    }

    private static void refused(String token) {
        String log;
        TestHttp.Res r;
        try (LogCapture capture = new LogCapture()) {
            r = server.as(token).get("/api/v1/me");
            log = capture.text();
        }
        assertThat(r.status()).as("answer: %s", r.text()).isEqualTo(401);
        assertThat(r.json().path("error").asText()).isEqualTo("unauthenticated");
        assertThat(r.header("WWW-Authenticate")).contains("invalid_token");
        assertThat(log).as("the server log").doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("ERROR");
    }
}
