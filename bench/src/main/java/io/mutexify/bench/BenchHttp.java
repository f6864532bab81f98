package io.mutexify.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.model.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few lock calls the bench makes, over the JDK's HTTP client. */
final class BenchHttp {
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI base;

    BenchHttp(URI base) {
        this.base = base;
    }

    /** A granted lock: its token and fence. */
    record Grant(String token, long fence) {
    }

    /** Acquires {@code slot}; returns null on a refusal (409). */
    Grant acquire(String slot, int timeout, int wait) throws IOException, InterruptedException {
        String body = "{\"timeout\":" + timeout + ",\"wait\":" + wait + ",\"owner\":\"bench\"}";
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(base.resolve("/api/v1/locks/" + slot))
                .timeout(Duration.ofSeconds(wait + 30L))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 409) {
            return null;
        }
        if (r.statusCode() != 200) {
            throw new IOException("acquire " + slot + " answered " + r.statusCode() + ": " + new String(r.body()));
        }
        JsonNode lock = Json.mapper().readTree(r.body());
        return new Grant(lock.get("token").asText(), lock.get("fence").asLong());
    }

    void release(String slot, String token) throws IOException, InterruptedException {
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(base.resolve("/api/v1/locks/" + slot + "/" + token))
                .timeout(Duration.ofSeconds(30))
                .DELETE().build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 204) {
            throw new IOException("release " + slot + " answered " + r.statusCode());
        }
    }
}
