package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web UI's files over the real server: public, typed, cached, walled in, under a strict CSP. */
class UiHttpTest {
    @TempDir
    Path dir;

    @Test
    void theUiIsServedWithoutSignInUnderAStrictPolicy() {
        try (TestServer server = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin"))) {
            TestHttp http = server.http();
            TestHttp.Res index = http.get("/");
            assertThat(index.status()).isEqualTo(200);
            assertThat(index.header("Content-Type")).startsWith("text/html");
            assertThat(index.header("Content-Security-Policy")).contains("script-src 'self';").doesNotContain("google");
            assertThat(index.text()).contains("/ui/app.js");
            TestHttp.Res js = http.get("/ui/app.js");
            assertThat(js.status()).isEqualTo(200);
            assertThat(js.header("Content-Type")).startsWith("text/javascript");
            assertThat(js.header("Cache-Control")).contains("max-age");
            assertThat(http.send("GET", "/ui/app.js", null, "If-None-Match", js.header("ETag")).status()).isEqualTo(304);
            assertThat(http.send("HEAD", "/", null).status()).isEqualTo(200);
            for (String bad : new String[] {"/ui/../pom.xml", "/ui/%2e%2e/pom.xml", "/ui/..%2f..%2fpom.xml", "/ui/x/../../api/v1/me",
                "/ui/missing.js", "/ui/ApiHandler.class"}) {
                TestHttp.Res r = http.get(bad);
                assertThat(r.status()).as(bad).isIn(400, 404);
                assertThat(r.text()).as(bad).doesNotContain("<project");
            }
            assertThat(http.get("/api/v1/me").status()).as("the API still needs sign-in").isEqualTo(401);
        }
    }

    @Test
    void withAGoogleClientThePolicyAllowsGoogleIdentityServicesOnly() {
        try (TestServer server = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin",
                "MUTEXIFY_GOOGLE_CLIENT_IDS", "123.apps.googleusercontent.com"))) {
            String csp = server.http().get("/").header("Content-Security-Policy");
            assertThat(csp).contains("script-src 'self' https://accounts.google.com/gsi/client;")
                    .doesNotContain("unsafe-inline");
        }
    }
}
