package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Four signed-in users flood the command queue as fast as they can; a fifth must still get in every time. */
class HostileQueueFloodTest {
    @TempDir
    Path dir;

    @Test
    void fourFloodingUsersCannotStarveAFifth() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin", "MUTEXIFY_QUEUE_CAPACITY", "40",
                "MUTEXIFY_WORKERS", "1", "MUTEXIFY_RATE_LIMIT_PER_SECOND", "0",
                // 64 flooding connections and carol's, all from this machine: the connection cap is not what is tested here.
                "MUTEXIFY_MAX_CONNECTIONS_PER_ADDRESS", "1000"))) {
            TestHttp carol = server.as(SignIn.dev(server, "carol@example.com"));
            List<String> flooders = new ArrayList<>();
            for (int f = 0; f < 4; f++) {
                flooders.add(SignIn.dev(server, "flood-" + f + "@example.com"));
            }
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicInteger floodFull = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            HttpClient client = HttpClient.newBuilder().executor(pool).build();
            List<CompletableFuture<Void>> loops = new ArrayList<>();
            for (int f = 0; f < 4; f++) {
                for (int c = 0; c < 16; c++) {
                    loops.add(flood(client, server, flooders.get(f), "flood-" + f + "-" + (c % 4), flooding, floodFull));
                }
            }
            Thread.sleep(500);
            int carolFull = 0;
            int carolCalls = 0;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            try {
                while (System.nanoTime() < until) {
                    TestHttp.Res r = carol.post("/api/v1/locks/carol", "{\"timeout\":30}");
                    carolCalls++;
                    if (r.status() == 503) {
                        carolFull++;
                        continue;
                    }
                    assertThat(r.status()).as(r.text()).isEqualTo(200);
                    TestHttp.Res gone = carol.delete("/api/v1/locks/carol/" + r.json().path("token").asText());
                    carolCalls++;
                    for (int retry = 0; gone.status() == 503 && retry < 100; retry++) {
                        carolFull++; // refused too; retried, so the next acquire finds the slot free
                        Thread.sleep(20);
                        gone = carol.delete("/api/v1/locks/carol/" + r.json().path("token").asText());
                    }
                    assertThat(gone.status()).as(gone.text()).isEqualTo(204);
                }
            } finally {
                flooding.set(false);
                CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                pool.shutdownNow();
            }
            System.out.printf("queue flood: flooders refused %d times; carol %d of %d refused%n", floodFull.get(), carolFull, carolCalls);
            assertThat(floodFull.get()).as("the flood filled the queue (flooders were refused)").isPositive();
            assertThat(carolFull).as("carol's acquires refused for a full queue, of %d", carolCalls).isZero();
        }
    }

    /** One flooding loop: acquire without waiting, again and again, counting 503s. */
    private static CompletableFuture<Void> flood(HttpClient client, TestServer server, String token, String slot,
                                                 AtomicBoolean flooding, AtomicInteger full) {
        if (!flooding.get()) {
            return CompletableFuture.completedFuture(null);
        }
        HttpRequest req = HttpRequest.newBuilder(server.url().resolve("/api/v1/locks/" + slot))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"timeout\":60}")).build();
        return client.sendAsync(req, HttpResponse.BodyHandlers.discarding()).handle((r, e) -> {
            if (r != null && r.statusCode() == 503) {
                full.incrementAndGet();
            }
            return null;
        }).thenCompose(v -> flood(client, server, token, slot, flooding, full));
    }
}
