package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.mutexify.embedded.config.EmbeddedConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A web page on an attacker's domain, and anything else that reaches a loopback server on behalf
 * of someone elsewhere: a DNS-rebound {@code Host}, a cross-site form or {@code text/plain} POST,
 * a reverse proxy on the same machine. None of them may sign in or change anything.
 */
class HostileRebindingTest {
    @TempDir
    Path dir;

    @Test
    void aRequestForAnotherHostNameIsRefusedAndChangesNothing() {
        try (TestServer server = TestServer.start(dir, Map.of())) { // open mode: every caller an administrator
            RawHttp raw = new RawHttp(server.url());
            for (String host : List.of("rebind.example", "rebind.example:" + server.url().getPort(), "127.0.0.1.rebind.example")) {
                RawHttp.Res r = raw.sendRaw(request("POST", "/api/v1/locks/rebound", host, "application/json", "{}"));
                assertThat(r.status()).as("Host %s: %s", host, r.text()).isEqualTo(421);
                assertThat(r.json().path("error").asText()).isEqualTo("misdirected_request");
                RawHttp.Res dev = raw.sendRaw(request("POST", "/api/v1/auth/dev", host, "application/json", "{\"email\":\"x@example.com\"}"));
                assertThat(dev.status()).isEqualTo(421);
                assertThat(raw.sendRaw(request("GET", "/api/v1/slots", host, null, null)).status()).isEqualTo(421);
            }
            assertThat(server.http().get("/api/v1/slots").json().path("slots")).as("nothing registered").isEmpty();
            // The names a local server is reached by still work.
            for (String host : List.of("localhost", "127.0.0.1:" + server.url().getPort(), "[::1]:" + server.url().getPort(), "LOCALHOST.")) {
                assertThat(raw.sendRaw(request("GET", "/api/v1/slots", host, null, null)).status()).as("Host %s", host).isEqualTo(200);
            }
        }
    }

    @Test
    void thePublicUrlsHostIsAnsweredAndNoOther() {
        try (TestServer server = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin",
                "MUTEXIFY_PUBLIC_URL", "https://locks.example.com"))) {
            RawHttp raw = new RawHttp(server.url());
            assertThat(raw.sendRaw(request("GET", "/api/v1/auth/config", "locks.example.com", null, null)).status()).isEqualTo(200);
            assertThat(raw.sendRaw(request("GET", "/api/v1/auth/config", "locks.example.com:443", null, null)).status()).isEqualTo(200);
            assertThat(raw.sendRaw(request("GET", "/api/v1/auth/config", "rebind.example", null, null)).status()).isEqualTo(421);
            // Probes may use any name.
            assertThat(raw.sendRaw(request("GET", "/healthz", "10.1.2.3:8080", null, null)).status()).isEqualTo(200);
        }
    }

    @Test
    void aStateChangingCallWithoutJsonIsRefusedInEveryAuthMode() {
        try (TestServer open = TestServer.start(dir.resolve("open"), Map.of())) {
            RawHttp raw = new RawHttp(open.url());
            String host = "127.0.0.1:" + open.url().getPort();
            for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", null}) {
                RawHttp.Res r = raw.sendRaw(request("POST", "/api/v1/locks/csrf", host, type, "{\"timeout\":60}"));
                assertThat(r.status()).as("Content-Type %s: %s", type, r.text()).isEqualTo(415);
                assertThat(r.json().path("error").asText()).isEqualTo("unsupported_media_type");
                assertThat(raw.sendRaw(request("POST", "/api/v1/slots/csrf/break", host, type, "")).status()).isEqualTo(415);
                assertThat(raw.sendRaw(request("PUT", "/api/v1/locks/csrf/t0ken", host, type, "{\"timeout\":60}")).status()).isEqualTo(415);
                assertThat(raw.sendRaw(request("PATCH", "/api/v1/slots/csrf", host, type, "{}")).status()).isEqualTo(415);
            }
            assertThat(open.http().get("/api/v1/slots").json().path("slots")).as("nothing registered").isEmpty();
            assertThat(raw.sendRaw(request("POST", "/api/v1/locks/csrf", host, "application/json; charset=utf-8", "{}")).status())
                    .isEqualTo(200);
        }
        try (TestServer signin = TestServer.start(dir.resolve("signin"), Map.of("MUTEXIFY_AUTH", "signin"))) {
            RawHttp raw = new RawHttp(signin.url());
            String host = "127.0.0.1:" + signin.url().getPort();
            RawHttp.Res dev = raw.sendRaw(request("POST", "/api/v1/auth/dev", host, "text/plain", "{\"email\":\"admin@example.com\"}"));
            assertThat(dev.status()).as("dev sign-in as text/plain: %s", dev.text()).isEqualTo(415);
            assertThat(dev.text()).doesNotContain("token");
            String token = SignIn.dev(signin, "alice@example.com");
            RawHttp.Res withToken = raw.sendRaw(request("POST", "/api/v1/keys", host, "text/plain", "{\"name\":\"x\"}",
                    "Authorization", "Bearer " + token));
            assertThat(withToken.status()).isEqualTo(415);
            assertThat(signin.as(token).get("/api/v1/keys").json().path("keys")).isEmpty();
        }
    }

    @Test
    void theDevSignInThroughALocalReverseProxyIsRefused() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin", "MUTEXIFY_ADMINS", "root@example.com"));
             Proxy proxy = new Proxy(server.url())) {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> viaProxy = client.send(HttpRequest.newBuilder(proxy.url.resolve("/api/v1/auth/dev"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"root@example.com\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(viaProxy.statusCode()).as("through the proxy: %s", viaProxy.body()).isEqualTo(403);
            assertThat(viaProxy.body()).contains("dev_sign_in_local_only").doesNotContain("token");
            // Every usual forwarding header counts, not only the one this proxy sets.
            RawHttp raw = new RawHttp(server.url());
            String host = "127.0.0.1:" + server.url().getPort();
            for (String h : List.of("Forwarded", "X-Forwarded-For", "X-Real-IP", "Via")) {
                RawHttp.Res r = raw.sendRaw(request("POST", "/api/v1/auth/dev", host, "application/json",
                        "{\"email\":\"root@example.com\"}", h, "203.0.113.7"));
                assertThat(r.status()).as(h).isEqualTo(403);
            }
            // On this machine, directly, it still works.
            assertThat(SignIn.dev(server, "someone@example.com")).isNotBlank();
        }
    }

    @Test
    void devSignInWithAdministratorsOnANetworkInterfaceDoesNotStart() {
        Map<String, String> env = Map.of("MUTEXIFY_HOST", "0.0.0.0", "MUTEXIFY_DEV_SIGNIN", "true",
                "MUTEXIFY_ADMINS", "root@example.com");
        assertThatThrownBy(() -> EmbeddedConfig.from(env::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MUTEXIFY_DEV_SIGNIN=true").hasMessageContaining("administrator");
        // Without administrators it is the operator's explicit choice for a trial.
        assertThat(EmbeddedConfig.from(Map.of("MUTEXIFY_HOST", "0.0.0.0", "MUTEXIFY_DEV_SIGNIN", "true")::get).access().devSignIn())
                .isTrue();
    }

    private static byte[] request(String method, String path, String host, String contentType, String body, String... headers) {
        StringBuilder b = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
        if (contentType != null) {
            b.append("Content-Type: ").append(contentType).append("\r\n");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            b.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        b.append("\r\n");
        byte[] head = b.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + bytes.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bytes, 0, all, head.length, bytes.length);
        return all;
    }

    /** A reverse proxy on this machine, as nginx would be: it passes requests on and says for whom. */
    private static final class Proxy implements AutoCloseable {
        final URI url;
        private final HttpServer server;

        Proxy(URI target) throws IOException {
            HttpClient upstream = HttpClient.newHttpClient();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                try {
                    HttpRequest.Builder b = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().getRawPath()))
                            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()))
                            .header("X-Forwarded-For", "198.51.100.23")
                            .header("X-Forwarded-Proto", "https");
                    String type = exchange.getRequestHeaders().getFirst("Content-Type");
                    if (type != null) {
                        b.header("Content-Type", type);
                    }
                    HttpResponse<byte[]> r = upstream.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                    exchange.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                    exchange.getResponseBody().write(r.body());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(502, -1);
                } finally {
                    exchange.close();
                }
            });
            server.start();
            url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
