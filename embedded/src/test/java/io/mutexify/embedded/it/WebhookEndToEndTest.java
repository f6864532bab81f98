package io.mutexify.embedded.it;

import static io.mutexify.embedded.it.ApiAssert.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mutexify.model.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every change to a slot reaches a real webhook receiver as exactly one CloudEvent, after the handshake. */
class WebhookEndToEndTest {
    private static final String ORIGIN = "mutexify.local";

    @TempDir
    Path dir;

    /** One request as the receiver got it. */
    private record Received(String method, String requestOrigin, String contentType, String body) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    @Test
    void everyChangeArrivesOnceWithTheRightTypeSourceSubjectAndFence() throws Exception {
        List<Received> requests = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> record(exchange, requests));
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        try (TestServer server = TestServer.start(dir, Map.of("MUTEXIFY_WEBHOOKS", url))) {
            TestHttp http = server.http();
            ok(http.post("/api/v1/slots", "{\"id\":\"hooked\",\"name\":\"Hooked\"}"), 201);
            JsonNode first = ok(http.post("/api/v1/locks/hooked", "{\"owner\":\"job-1\",\"timeout\":300}"), 200);
            String token = first.path("token").asText();
            JsonNode extended = ok(http.put("/api/v1/locks/hooked/" + token, "{\"timeout\":600}"), 200);
            assertThat(http.delete("/api/v1/locks/hooked/" + token).status()).isEqualTo(204);

            JsonNode shortLock = ok(http.post("/api/v1/locks/hooked", "{\"owner\":\"job-2\",\"timeout\":1}"), 200);
            // Let it expire by itself: the scheduled expiry writes it to the history.
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() ->
                    ok(http.get("/api/v1/slots/hooked/history"), 200).path("history").size() == 2);

            JsonNode third = ok(http.post("/api/v1/locks/hooked", "{\"owner\":\"job-3\",\"timeout\":300}"), 200);
            ok(http.post("/api/v1/slots/hooked/break", "{\"reason\":\"stuck job\"}"), 200);
            ok(http.patch("/api/v1/slots/hooked", "{\"name\":\"Renamed\"}"), 200);
            assertThat(http.delete("/api/v1/slots/hooked").status()).isEqualTo(204);

            List<String> expectedTypes = List.of(
                    "io.mutexify.slot.created",
                    "io.mutexify.lock.acquired",
                    "io.mutexify.lock.extended",
                    "io.mutexify.lock.released",
                    "io.mutexify.lock.acquired",
                    "io.mutexify.lock.expired",
                    "io.mutexify.lock.acquired",
                    "io.mutexify.lock.broken",
                    "io.mutexify.slot.updated",
                    "io.mutexify.slot.deleted");
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> posts(requests).size() >= expectedTypes.size());
            // ...and nothing more comes: exactly one event per change (the relay polls every second).
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                    .until(() -> posts(requests).size() == expectedTypes.size());

            List<JsonNode> events = posts(requests).stream().map(Received::json).toList();
            assertThat(events.stream().map(e -> e.path("type").asText()).toList()).containsExactlyElementsOf(expectedTypes);
            assertThat(new HashSet<>(events.stream().map(e -> e.path("id").asText()).toList())).hasSize(events.size());
            for (JsonNode e : events) {
                assertThat(e.path("specversion").asText()).isEqualTo("1.0");
                assertThat(e.path("source").asText()).isEqualTo("/slots/hooked");
                assertThat(e.path("subject").asText()).isEqualTo("hooked");
                assertThat(e.path("id").asText()).isNotBlank();
                assertThat(Instant.parse(e.path("time").asText())).isNotNull();
                assertThat(e.path("data").path("slot").asText()).isEqualTo("hooked");
            }
            for (Received r : posts(requests)) {
                assertThat(r.contentType()).startsWith("application/cloudevents+json");
            }

            long f1 = first.path("fence").asLong();
            long f2 = shortLock.path("fence").asLong();
            long f3 = third.path("fence").asLong();
            assertThat(List.of(f1, f2, f3)).containsExactly(1L, 2L, 3L);
            assertLockEvent(events.get(1), f1, "job-1", "anonymous");
            assertThat(Instant.parse(events.get(1).path("data").path("expireAt").asText()))
                    .isEqualTo(Instant.parse(first.path("expireAt").asText()));
            assertLockEvent(events.get(2), f1, "job-1", "anonymous");
            assertThat(Instant.parse(events.get(2).path("data").path("expireAt").asText()))
                    .isEqualTo(Instant.parse(extended.path("expireAt").asText()));
            assertLockEvent(events.get(3), f1, "job-1", "anonymous");
            assertLockEvent(events.get(4), f2, "job-2", "anonymous");
            assertLockEvent(events.get(5), f2, "job-2", "system");
            assertLockEvent(events.get(6), f3, "job-3", "anonymous");
            assertLockEvent(events.get(7), f3, "job-3", "anonymous");
            assertThat(events.get(7).path("data").path("reason").asText()).isEqualTo("stuck job");
            assertThat(events.get(0).path("data").path("actor").asText()).isEqualTo("anonymous");
            assertThat(events.get(8).path("data").path("actor").asText()).isEqualTo("anonymous");
            assertThat(events.get(9).path("data").path("actor").asText()).isEqualTo("anonymous");
            // Slot events carry the slot's fence, which never goes back.
            assertThat(events.get(9).path("data").path("fence").asLong()).isEqualTo(f3);

            // The handshake came first, once, with our origin.
            assertThat(requests.get(0).method()).isEqualTo("OPTIONS");
            assertThat(requests.get(0).requestOrigin()).isEqualTo(ORIGIN);
            assertThat(requests.stream().filter(r -> r.method().equals("OPTIONS")).count()).isEqualTo(1);
        } finally {
            receiver.stop(0);
        }
    }

    private static void assertLockEvent(JsonNode event, long fence, String owner, String actor) {
        JsonNode data = event.path("data");
        assertThat(data.path("fence").asLong()).as("fence of %s", event).isEqualTo(fence);
        assertThat(data.path("owner").asText()).as("owner of %s", event).isEqualTo(owner);
        assertThat(data.path("principal").asText()).as("principal of %s", event).isEqualTo("anonymous");
        assertThat(data.path("actor").asText()).as("actor of %s", event).isEqualTo(actor);
        assertThat(data.hasNonNull("expireAt")).as("expireAt of %s", event).isTrue();
    }

    private static List<Received> posts(List<Received> requests) {
        return requests.stream().filter(r -> r.method().equals("POST")).toList();
    }

    /** Answers the handshake (200 with WebHook-Allowed-Origin) and every POST with 200, recording each. */
    private static void record(HttpExchange exchange, List<Received> requests) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String origin = exchange.getRequestHeaders().getFirst("WebHook-Request-Origin");
            requests.add(new Received(exchange.getRequestMethod(), origin,
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
            if (exchange.getRequestMethod().equals("OPTIONS") && origin != null) {
                exchange.getResponseHeaders().add("WebHook-Allowed-Origin", origin);
            }
            exchange.sendResponseHeaders(200, -1);
        }
    }
}
