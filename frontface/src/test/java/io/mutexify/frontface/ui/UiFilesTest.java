package io.mutexify.frontface.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.frontface.http.ApiResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UiFilesTest {
    private final UiFiles ui = new UiFiles(false);

    @Test
    void rootIsTheIndexPageWithAStrictPolicyAndNoCaching() {
        ApiResponse r = ui.serve("GET", "/", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("Content-Type", "text/html; charset=utf-8")
                .containsEntry("Cache-Control", "no-cache")
                .containsEntry("X-Content-Type-Options", "nosniff");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("<script type=\"module\" src=\"/ui/app.js\">");
        String csp = r.headers().get("Content-Security-Policy");
        assertThat(csp).contains("default-src 'none'", "script-src 'self';", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "google");
    }

    @Test
    void filesGetTheirContentTypeAndACacheHeader() {
        assertThat(ui.serve("GET", "/ui/app.js", null).headers())
                .containsEntry("Content-Type", "text/javascript; charset=utf-8")
                .containsEntry("Cache-Control", "public, max-age=300, must-revalidate");
        assertThat(ui.serve("GET", "/ui/app.css", null).headers()).containsEntry("Content-Type", "text/css; charset=utf-8");
        assertThat(ui.serve("GET", "/ui/favicon.svg", null).headers()).containsEntry("Content-Type", "image/svg+xml");
    }

    @Test
    void aMatchingEtagAnswers304() {
        String etag = ui.serve("GET", "/ui/app.js", null).headers().get("ETag");
        ApiResponse r = ui.serve("GET", "/ui/app.js", etag);
        assertThat(r.status()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ui/../ui/app.js", "/ui/..%2Fpom.xml", "/ui/%2e%2e/x.js", "/ui/sub/app.js", "/ui/.hidden.js",
        "/ui/app.js/", "/ui/app", "/ui/nothing.js", "/ui/app.class", "/ui/index.html", "/ui/..\\x.js", "/ui/app.js%00"})
    void anythingElseIsNotFound(String path) {
        ApiResponse r = ui.serve("GET", path, null);
        assertThat(r.status()).as(path).isEqualTo(404);
        assertThat(r.headers()).containsKey("Content-Security-Policy");
    }

    @Test
    void onlyGet() {
        assertThat(ui.serve("POST", "/", null).status()).isEqualTo(405);
    }

    @Test
    void googlesSignInOriginIsAllowedOnlyWhenConfigured() {
        String csp = new UiFiles(true).contentSecurityPolicy();
        assertThat(csp).contains("script-src 'self' https://accounts.google.com/gsi/client;", "frame-src https://accounts.google.com/gsi/");
        assertThat(ui.contentSecurityPolicy()).contains("frame-src 'none'");
    }
}
