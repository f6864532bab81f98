package io.mutexify.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The protocol paths a healthy embedded server rarely takes, against a scripted HTTP peer: 202 with
 * a Location to poll, 503 with Retry-After, and the headers every request must carry.
 */
class ProtocolClientTest {
    private HttpServer peer;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final Map<String, String> keys = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        peer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        peer.start();
    }

    @AfterEach
    void stop() {
        peer.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + peer.getAddress().getPort());
    }

    private static String lockJson(String slot, long fence) {
        Instant now = Instant.now();
        return "{\"id\":\"k-1\",\"resource\":\"" + slot + "\",\"owner\":\"me\",\"principal\":\"anonymous\",\"token\":\"tok123\","
                + "\"fence\":" + fence + ",\"timeout\":30,\"metadata\":[],\"createdAt\":\"" + now + "\",\"updatedAt\":\"" + now
                + "\",\"expireAt\":\"" + now.plusSeconds(30) + "\"}";
    }

    private static void answer(HttpExchange ex, int status, String body, String... headers) throws IOException {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            ex.getResponseHeaders().add(headers[i], headers[i + 1]);
        }
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
        ex.close();
    }

    @Test
    void a202IsFollowedToItsAnswerAndA503IsRetriedAfterItsPause() {
        AtomicInteger polls = new AtomicInteger();
        peer.createContext("/", ex -> {
            String call = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
            seen.add(call);
            String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
            if (key != null) {
                keys.merge(call, key, (a, b) -> a.equals(b) ? a : a + "|" + b);
            }
            assertThat(ex.getRequestHeaders().getFirst("Authorization")).isEqualTo("Bearer secret-key");
            ex.getRequestBody().readAllBytes();
            switch (call) {
                case "POST /api/v1/locks/p-slot" -> {
                    if (calls.incrementAndGet() == 1) {
                        answer(ex, 503, "{\"error\":\"busy\",\"message\":\"queue full\"}", "Retry-After", "1");
                    } else {
                        answer(ex, 202, "{\"requestId\":\"k-abc\",\"status\":\"pending\"}", "Location", "/api/v1/requests/k-abc");
                    }
                }
                case "GET /api/v1/requests/k-abc" -> {
                    if (polls.incrementAndGet() < 3) {
                        answer(ex, 202, "{\"requestId\":\"k-abc\",\"status\":\"pending\"}", "Location", "/api/v1/requests/k-abc");
                    } else {
                        answer(ex, 200, lockJson("p-slot", 7));
                    }
                }
                case "DELETE /api/v1/locks/p-slot/tok123" -> answer(ex, 204, null);
                default -> answer(ex, 404, "{\"error\":\"not_found\",\"message\":\"no\"}");
            }
        });
        try (MutexifyClient client = MutexifyClient.builder().baseUrl(url()).apiKey("secret-key")
                .retryBackoff(Duration.ofMillis(10)).build()) {
            long t0 = System.nanoTime();
            Lease lease = client.acquire("p-slot", Duration.ofSeconds(30), Duration.ZERO, List.of());
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900)); // Retry-After: 1
            assertThat(lease.fence()).isEqualTo(7);
            assertThat(lease.isValid()).isTrue();
            assertThat(polls.get()).isEqualTo(3);
            // Both attempts of the acquire carried one and the same key.
            assertThat(keys.get("POST /api/v1/locks/p-slot")).doesNotContain("|").startsWith("mx-");
            assertThat(lease.release()).isTrue();
        }
        assertThat(seen).containsSubsequence("POST /api/v1/locks/p-slot", "POST /api/v1/locks/p-slot",
                "GET /api/v1/requests/k-abc", "DELETE /api/v1/locks/p-slot/tok123");
    }

    @Test
    void anUnreachableServerIsAMutexifyExceptionWithoutStatus() throws IOException {
        int port;
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (MutexifyClient client = MutexifyClient.builder().baseUrl("http://127.0.0.1:" + port)
                .maxRetries(1).retryBackoff(Duration.ofMillis(10)).build()) {
            assertThatThrownBy(() -> client.acquire("p-slot", Duration.ofSeconds(5), Duration.ZERO, List.of()))
                    .isInstanceOfSatisfying(MutexifyException.class, e -> {
                        assertThat(e.status()).isZero();
                        assertThat(e.code()).isEqualTo("unreachable");
                    });
        }
    }
}
