package io.mutexify.embedded.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.model.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The clients' HTTP: every call becomes an {@link Attempt}, answer or not; it never throws for
 * what a network or a dead server does. Also the hedge's first send, on a bare socket the client
 * can drop whenever it likes.
 */
final class CampaignHttp {
    private final URI base;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    CampaignHttp(URI base) {
        this.base = base;
    }

    /** Sends one call; {@code key} (may be null) goes as {@code Idempotency-Key}. */
    Attempt send(String method, String path, String body, String key, Duration timeout, boolean poll) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        long sent = System.nanoTime();
        try {
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return parse(sent, System.nanoTime(), r, poll);
        } catch (IOException e) {
            return Attempt.failed(sent, System.nanoTime(), e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Attempt.failed(sent, System.nanoTime(), "interrupted");
        }
    }

    /**
     * Writes a POST on a fresh connection and leaves it open, unread: the hedge's first send,
     * which the client later drops by closing the socket. Null if the server was not reachable.
     */
    Socket sendAndLeaveOpen(String path, String body, String key) {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 1000);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nContent-Type: application/json\r\nIdempotency-Key: " + key
                    + "\r\nContent-Length: " + bytes.length + "\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            return s;
        } catch (IOException e) {
            closeQuietly(s);
            return null;
        }
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static Attempt parse(long sent, long done, HttpResponse<byte[]> r, boolean poll) {
        boolean retryAfter = r.headers().firstValue("Retry-After").isPresent();
        JsonNode json = null;
        try {
            json = r.body().length == 0 ? null : Json.mapper().readTree(r.body());
        } catch (IOException notJson) {
            // judged by status alone
        }
        String error = json == null || !json.hasNonNull("error") ? null : json.get("error").asText();
        String token = null;
        Long fence = null;
        Instant expireAt = null;
        if (json != null && r.statusCode() == 200 && json.hasNonNull("token")) {
            token = json.get("token").asText();
            fence = json.get("fence").asLong();
            expireAt = Instant.parse(json.get("expireAt").asText());
        }
        return new Attempt(sent, done, r.statusCode(), error, token, fence, expireAt, retryAfter, poll);
    }
}
