package io.mutexify.embedded.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.mutexify.model.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small HTTP client for tests: raw bodies in, status + headers + parsed JSON out. */
public final class TestHttp {
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI base;
    private final String token;

    public TestHttp(URI base) {
        this(base, null);
    }

    private TestHttp(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The same client sending {@code Authorization: Bearer <token>} on every call (null: none). */
    public TestHttp withToken(String bearer) {
        return new TestHttp(base, bearer);
    }

    /** A response: status, headers and body (parsed as JSON when it is JSON). */
    public record Res(int status, HttpResponse<byte[]> raw) {
        public String text() {
            return new String(raw.body(), StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            if (raw.body().length == 0) {
                return MissingNode.getInstance();
            }
            try {
                return Json.mapper().readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text(), e);
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Res get(String path) {
        return send("GET", path, null);
    }

    public Res post(String path, String body) {
        return send("POST", path, body);
    }

    public Res put(String path, String body) {
        return send("PUT", path, body);
    }

    public Res patch(String path, String body) {
        return send("PATCH", path, body);
    }

    public Res delete(String path) {
        return send("DELETE", path, null);
    }

    public Res send(String method, String path, String body, String... headers) {
        return sendBytes(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** Sends a raw request; {@code path} is used as given (not encoded), so tests can send odd paths. */
    public Res sendBytes(String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(90))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Res(r.statusCode(), r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
