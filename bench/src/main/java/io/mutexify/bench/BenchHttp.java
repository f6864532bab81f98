package io.mutexify.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.model.json.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The few lock calls the bench makes, each client on its own {@link KeepAliveConnection}. The bench
 * shares two cores with the server; a general-purpose HTTP client spends as much CPU per call as
 * the server does, so the figures would mostly measure the client.
 */
final class BenchHttp implements Driver {
    private final KeepAliveConnection connection;

    /** {@code token} is the bearer credential sent on every call; null sends none (a server in open mode). */
    BenchHttp(URI base, String token) {
        this.connection = new KeepAliveConnection(base, token == null || token.isBlank() ? null : "Bearer " + token.trim());
    }

    @Override
    public Grant acquire(String slot, int timeout, int wait) throws IOException {
        String body = "{\"timeout\":" + timeout + ",\"wait\":" + wait + ",\"owner\":\"bench\"}";
        KeepAliveConnection.Response r = connection.call("POST", "/api/v1/locks/" + slot, body, (wait + 30) * 1000);
        if (r.status() == 409) {
            return null;
        }
        if (r.status() != 200) {
            throw new IOException("acquire " + slot + " answered " + r.status() + ": "
                    + new String(r.body(), StandardCharsets.UTF_8));
        }
        JsonNode lock = Json.mapper().readTree(r.body());
        return new Grant(lock.get("token").asText(), lock.get("fence").asLong());
    }

    @Override
    public void release(String slot, String token) throws IOException {
        KeepAliveConnection.Response r = connection.call("DELETE", "/api/v1/locks/" + slot + "/" + token, null, 30_000);
        if (r.status() != 204) {
            throw new IOException("release " + slot + " answered " + r.status());
        }
    }

    /** A GET of {@code path}; returns the status, the body read and dropped. */
    int get(String path) throws IOException {
        return connection.call("GET", path, null, 30_000).status();
    }

    @Override
    public void close() {
        connection.close();
    }
}
