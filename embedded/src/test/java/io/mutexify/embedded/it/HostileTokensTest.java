package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Google ID tokens that are properly signed by Google's key but must still not get in: a consumer
 * account on a company address (no or another {@code hd}), a token not valid yet ({@code nbf}),
 * tokens without {@code exp} or {@code iat}. Each is a plain 401, with nothing but a line in the log.
 */
class HostileTokensTest extends WithGoogleServer {
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

    private void refused(String token) {
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
