package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.model.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients, each with its own HTTP client, contending for one slot with acquire-and-wait:
 * the holds they observe never overlap, fences rise with every grant, and a plain counter only
 * touched while holding the lock loses no increment.
 */
class ConcurrentClientsHttpTest {
    private static final int CLIENTS = 12;
    private static final int GRANTS_PER_CLIENT = 25;

    @TempDir
    Path dir;

    /** Touched only inside the critical section; volatile for visibility, deliberately not atomic. */
    private volatile int counter;

    private record Grant(String client, long fence, long grantedAtNanos, long releaseStartedNanos) {
    }

    @Test
    void holdsNeverOverlapAndFencesRiseWithGrantOrder() throws Exception {
        ConcurrentLinkedQueue<Grant> grants = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try (TestServer server = TestServer.start(dir)) {
            URI base = server.url();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Void>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                String name = "client-" + c;
                done.add(pool.submit((Callable<Void>) () -> {
                    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(5)).build();
                    go.await();
                    for (int i = 0; i < GRANTS_PER_CLIENT; i++) {
                        HttpResponse<String> acquired = send(client, HttpRequest.newBuilder(base.resolve("/api/v1/locks/shared"))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"owner\":\"" + name + "\",\"timeout\":60,\"wait\":60}")));
                        long grantedAt = System.nanoTime();
                        assertThat(acquired.statusCode()).as("acquire by %s: %s", name, acquired.body()).isEqualTo(200);
                        JsonNode lock = Json.mapper().readTree(acquired.body());
                        assertThat(lock.path("owner").asText()).isEqualTo(name);

                        // The critical section: a read-modify-write that would lose updates if two ran at once.
                        int seen = counter;
                        Thread.yield();
                        counter = seen + 1;

                        long releaseStarted = System.nanoTime();
                        HttpResponse<String> released = send(client, HttpRequest.newBuilder(
                                base.resolve("/api/v1/locks/shared/" + lock.path("token").asText())).DELETE());
                        assertThat(released.statusCode()).as("release by %s: %s", name, released.body()).isEqualTo(204);
                        grants.add(new Grant(name, lock.path("fence").asLong(), grantedAt, releaseStarted));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<Void> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }

            List<Grant> ordered = new ArrayList<>(grants);
            ordered.sort(Comparator.comparingLong(Grant::grantedAtNanos));
            assertThat(ordered).hasSize(CLIENTS * GRANTS_PER_CLIENT);
            for (int i = 1; i < ordered.size(); i++) {
                Grant prev = ordered.get(i - 1);
                Grant next = ordered.get(i);
                assertThat(next.grantedAtNanos())
                        .as("grant %d (%s, fence %d) starts after %s released fence %d", i, next.client(), next.fence(),
                                prev.client(), prev.fence())
                        .isGreaterThan(prev.releaseStartedNanos());
                assertThat(next.fence()).as("fence of grant %d", i).isGreaterThan(prev.fence());
            }
            assertThat(ordered.get(0).fence()).isEqualTo(1);
            assertThat(ordered.get(ordered.size() - 1).fence()).isEqualTo(CLIENTS * GRANTS_PER_CLIENT);
            assertThat(counter).isEqualTo(CLIENTS * GRANTS_PER_CLIENT);
            // Every client was served, not just a lucky few.
            assertThat(ordered.stream().map(Grant::client).distinct()).hasSize(CLIENTS);

            JsonNode slot = server.http().get("/api/v1/slots/shared").json();
            assertThat(slot.path("fence").asLong()).isEqualTo(CLIENTS * GRANTS_PER_CLIENT);
            assertThat(slot.path("state").asText()).isEqualTo("free");
            assertThat(slot.path("waiting").asInt()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(90)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
