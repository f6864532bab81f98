package io.mutexify.embedded.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mutexify.model.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A real local webhook receiver that records every request and can be told to refuse. */
final class WebhookReceiver implements AutoCloseable {
    /** One request as it arrived. */
    record Received(String method, String requestOrigin, String contentType, String body) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final HttpServer server;
    final List<Received> requests = new CopyOnWriteArrayList<>();
    /** The ids of POSTs that were answered 2xx, in arrival order. */
    final List<String> accepted = new CopyOnWriteArrayList<>();
    /** Status for OPTIONS. */
    volatile int handshakeStatus = 200;
    /** WebHook-Allowed-Origin to answer with; null sends none. */
    volatile String allowedOrigin = "*";
    /** A POST of the event with this id is always answered 503. */
    volatile String refuseId;
    /** How many POSTs to answer 503 before accepting. */
    final AtomicInteger postFailures = new AtomicInteger();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    List<Received> posts() {
        return requests.stream().filter(r -> r.method().equals("POST")).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Received received = new Received(exchange.getRequestMethod(),
                exchange.getRequestHeaders().getFirst("WebHook-Request-Origin"),
                exchange.getRequestHeaders().getFirst("Content-Type"), body);
        requests.add(received);
        int status;
        if (received.method().equals("OPTIONS")) {
            status = handshakeStatus;
            if (allowedOrigin != null) {
                exchange.getResponseHeaders().add("WebHook-Allowed-Origin", allowedOrigin);
            }
        } else if (received.json().get("id").asText().equals(refuseId)
                || postFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            status = 503;
        } else {
            status = 200;
            accepted.add(received.json().get("id").asText());
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
