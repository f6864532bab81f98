package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.frontface.auth.LocalGoogle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials never leak: the server's log (slf4j-simple writes to System.out, captured here)
 * holds no API key, no secret, no session or ID token, and no response after a key's creation
 * shows it again. The calls include failures, where careless code would echo what it got.
 */
class SecretsStayOutOfLogsHttpTest {
    @TempDir
    Path dir;

    private final List<String> answers = new ArrayList<>();

    private TestHttp.Res keep(TestHttp.Res r) {
        answers.add(r.status() + " " + r.raw().headers().map() + " " + r.text());
        return r;
    }

    @Test
    void noCredentialAppearsInTheLogsOrInALaterResponse() {
        List<String> secrets = new ArrayList<>();
        String keyId;
        String log;
        try (LogCapture capture = new LogCapture()) {
            keyId = withGoogle(secrets);
            withDevSignIn(secrets);
            log = capture.text();
        }

        assertThat(log).as("the capture works").contains("API key " + keyId + " (ci) created by alice@example.com");
        for (String secret : secrets) {
            assertThat(log).as("the log").doesNotContain(secret);
            for (String answer : answers) {
                assertThat(answer).as("a response after creation").doesNotContain(secret);
            }
        }
    }

    private String withGoogle(List<String> secrets) {
        try (LocalGoogle google = new LocalGoogle();
             TestServer server = TestServer.start(dir.resolve("google"), Map.of("MUTEXIFY_AUTH", "signin",
                     "MUTEXIFY_GOOGLE_CLIENT_IDS", LocalGoogle.CLIENT_ID, "MUTEXIFY_GOOGLE_CERTS_URL", google.certsUrl()))) {
            String idToken = google.mint(LocalGoogle.claims("alice@example.com"));
            secrets.add(idToken);
            secrets.add(idToken.substring(idToken.lastIndexOf('.') + 1)); // the signature alone
            TestHttp.Res created = server.as(idToken).post("/api/v1/keys", "{\"name\":\"ci\"}");
            assertThat(created.status()).isEqualTo(201);
            String key = created.json().path("key").asText();
            String id = created.json().path("id").asText();
            secrets.add(key);
            secrets.add(key.substring(key.lastIndexOf('_') + 1));

            TestHttp asKey = server.as(key);
            keep(server.as(idToken).get("/api/v1/me"));
            keep(server.as(idToken).get("/api/v1/keys"));
            keep(asKey.get("/api/v1/me"));
            TestHttp.Res lock = keep(asKey.post("/api/v1/locks/secret-slot", "{\"timeout\":30}"));
            keep(asKey.get("/api/v1/slots/secret-slot"));
            keep(asKey.get("/api/v1/slots"));
            keep(asKey.delete("/api/v1/locks/secret-slot/" + lock.json().path("token").asText()));
            keep(asKey.get("/api/v1/slots/secret-slot/history"));
            keep(asKey.post("/api/v1/keys", "{\"name\":\"nope\"}"));
            keep(asKey.post("/api/v1/locks/secret-slot", "{not json"));
            String wrong = key.substring(0, key.length() - 1) + (key.endsWith("0") ? "1" : "0");
            secrets.add(wrong);
            keep(server.as(wrong).get("/api/v1/me"));
            String expired = google.mint(withClaim(LocalGoogle.claims("alice@example.com"), "exp", 1L));
            secrets.add(expired);
            keep(server.as(expired).get("/api/v1/me"));
            keep(server.as(idToken).delete("/api/v1/keys/" + id));
            keep(asKey.get("/api/v1/me"));
            return id;
        }
    }

    private void withDevSignIn(List<String> secrets) {
        try (TestServer server = TestServer.start(dir.resolve("dev"), Map.of("MUTEXIFY_AUTH", "signin"))) {
            String session = SignIn.dev(server, "bob@example.com");
            secrets.add(session);
            keep(server.as(session).get("/api/v1/me"));
            keep(server.as(session + "x").get("/api/v1/me"));
            keep(server.as(session).post("/api/v1/slots", "{\"id\":\"dev-slot\"}"));
            keep(server.as(session).get("/api/v1/slots/dev-slot"));
        }
    }

    private static Map<String, Object> withClaim(Map<String, Object> claims, String name, Object value) {
        claims.put(name, value);
        return claims;
    }
}
