package io.mutexify.azure.functions.frontface;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.functions.HttpMethod;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mutexify.azure.cosmos.CosmosTestServer;
import io.mutexify.frontface.ui.Browser;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The web UI on Azure, in headless Chromium: the page is served at {@code /ui/} by the Frontface's
 * {@code ui} function, and every call it makes goes to the Frontface functions ({@link WiredAzure},
 * behind a local HTTP server standing in for the Functions host). Google Identity Services cannot be
 * reached from a test, so a stand-in takes its place in the page: it gives the UI's own sign-in code
 * an ID token signed by the local key the app's certificate URL serves, which the functions verify.
 */
@ExtendWith(CosmosTestServer.class)
class AzureSignInBrowserTest {
    private static WiredAzure azure;
    private static HttpServer host;
    private static ExecutorService threads;
    private static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        azure = new WiredAzure(Map.of());
        threads = Executors.newCachedThreadPool();
        host = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        host.createContext("/", AzureSignInBrowserTest::forward);
        host.setExecutor(threads); // long polls hold a thread each
        host.start();
        browser = Browser.open(URI.create("http://127.0.0.1:" + host.getAddress().getPort() + "/ui/"));
        // Loaded before the page's own scripts on every navigation: what accounts.google.com/gsi/client provides.
        String idToken = azure.googleToken("alice@example.com");
        browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                window.google = { accounts: { id: {
                  initialize(o) { window.__gis = o; },
                  renderButton(target) {
                    const b = document.createElement('button');
                    b.type = 'button'; b.id = 'google-signin'; b.textContent = 'Sign in with Google';
                    b.onclick = () => window.__gis.callback({ credential: '%s' });
                    target.append(b);
                  },
                  disableAutoSelect() {} } } };
                """.formatted(idToken)));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {browser, () -> host.stop(0), threads::shutdownNow, azure}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // keep closing the rest
            }
        }
    }

    /** The Functions host's part: an HTTP request in, the matching function's response out. */
    private static void forward(HttpExchange ex) throws IOException {
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            String target = ex.getRequestURI().getRawPath()
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
            FakeRequest req = new FakeRequest(HttpMethod.value(ex.getRequestMethod()), target,
                    body.length == 0 ? null : new String(body, StandardCharsets.UTF_8));
            ex.getRequestHeaders().forEach((name, values) -> req.header(name, values.get(0)));
            FakeRequest.Response res;
            try {
                res = azure.serve(req);
            } catch (IllegalArgumentException noFunction) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            res.headers().forEach((name, value) -> ex.getResponseHeaders().add(name, value));
            byte[] out = res.getBody() == null ? new byte[0] : (byte[]) res.getBody();
            boolean empty = out.length == 0 || ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(res.getStatusCode(), empty ? -1 : out.length);
            if (!empty) {
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(out);
                }
            }
        } finally {
            ex.close();
        }
    }

    @Test
    void signInWithGoogleThenRegisterClaimReleaseAndMakeAnApiKey() {
        browser.go("/");
        // the page learned from /api/v1/auth/config (no credentials) that Google is the way in, and nothing else
        browser.click("#google-signin");
        browser.wait.until(ExpectedConditions.textToBe(By.id("me"), "alice@example.com"));
        browser.wait.until(ExpectedConditions.textToBe(By.id("conn"), "Live"));
        assertThat(browser.driver.findElements(By.id("dev-email"))).as("no dev sign-in on Azure").isEmpty();

        browser.registerSlot("#new-id", "azure-staging", "#new-name", "Staging on Azure", "#new-members", "bob@example.com");
        browser.waitForText("#slot-title", "Staging on Azure");
        browser.waitForText("#slot-badge", "Free");

        browser.submit("#claim", "#claim-timeout", "300", "#claim-note", "deploying from the browser");
        browser.waitForText("#slot-badge", "Held by you");
        assertThat(azure.frontStore.load("azure-staging").hold().principal()).isEqualTo("alice@example.com");
        browser.click("#release");
        browser.waitForText("#slot-badge", "Free");

        browser.go("/");
        browser.wait.until(ExpectedConditions.attributeToBe(By.cssSelector(".slot[data-slot='azure-staging']"),
                "data-state", "free"));

        browser.click("nav a[href='#/keys']");
        browser.type("#key-name", "ci-from-ui");
        browser.click("#create-key");
        String key = browser.visible("#key-secret").getText();
        assertThat(key).startsWith("mtx_");
        FakeRequest.Response me = azure.call("GET", "/api/v1/me", null, key);
        assertThat(me.getStatusCode()).isEqualTo(200);
        assertThat(WiredAzure.json(me).path("method").asText()).isEqualTo("api_key");

        browser.click("#signout");
        browser.visible("#google-signin");
    }
}
