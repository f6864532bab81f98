package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One signed-in user (or anyone, for the UI files) trying to use up what everyone shares: open
 * watches, the memory of the UI file cache, slots, API keys.
 */
class HostileExhaustionTest {
    private static final int WATCHES = 1000;

    @TempDir
    Path dir;

    @Test
    void aThousandListWatchesOfOneUserDoNotDelayAnotherUsersAcquire() throws Exception {
        // The connection cap would stop most of these watches first; lifted here, so the watch cap is what is tested.
        try (TestServer server = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin",
                "MUTEXIFY_MAX_CONNECTIONS_PER_ADDRESS", "5000"))) {
            String mallory = SignIn.dev(server, "mallory@example.com");
            TestHttp bob = server.as(SignIn.dev(server, "bob@example.com"));
            for (int i = 0; i < 200; i++) {
                assertThat(server.as(mallory).post("/api/v1/slots", "{\"id\":\"m-" + i + "\"}").status()).isEqualTo(201);
            }
            for (int i = 0; i < 3; i++) { // bob's slots exist and the code paths are warm before the attack starts
                TestHttp.Res got = bob.post("/api/v1/locks/bob-" + i, "{\"timeout\":30}");
                bob.delete("/api/v1/locks/bob-" + i + "/" + got.json().path("token").asText());
            }
            long index = server.as(mallory).get("/api/v1/slots").json().path("index").asLong();

            HttpClient watcher = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
            List<CompletableFuture<HttpResponse<Void>>> watches = new ArrayList<>();
            for (int i = 0; i < WATCHES; i++) {
                watches.add(watcher.sendAsync(HttpRequest.newBuilder(server.url().resolve("/api/v1/slots?index=" + index + "&wait=20s"))
                        .header("Authorization", "Bearer " + mallory).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.discarding()));
            }
            // Mallory writes 4 times a second, waking every watch she has open each time.
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread writer = new Thread(() -> {
                TestHttp m = server.as(mallory);
                for (int i = 0; writing.get(); i++) {
                    m.patch("/api/v1/slots/m-" + (i % 200), "{\"description\":\"tick " + i + "\"}");
                    sleep(250);
                }
            }, "hostile-writer");
            writer.start();
            sleep(1000);

            List<Long> ms = new ArrayList<>();
            try {
                for (int i = 0; i < 30; i++) {
                    long t0 = System.nanoTime();
                    TestHttp.Res got = bob.post("/api/v1/locks/bob-" + (i % 3), "{\"timeout\":30}");
                    ms.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                    assertThat(got.status()).as("bob's acquire: %s", got.text()).isEqualTo(200);
                    bob.delete("/api/v1/locks/bob-" + (i % 3) + "/" + got.json().path("token").asText());
                    sleep(200);
                }
            } finally {
                writing.set(false);
                writer.join();
            }
            List<Integer> statuses = watches.stream().map(f -> f.join().statusCode()).toList();
            long tooMany = statuses.stream().filter(s -> s == 429).count();
            Collections.sort(ms);
            System.out.printf("1000 watches: %d refused with 429; bob's acquire p50 %d ms, max %d ms%n",
                    tooMany, ms.get(ms.size() / 2), ms.get(ms.size() - 1));
            assertThat(ms.get(ms.size() - 1)).as("slowest of bob's acquires (ms), all: %s", ms).isLessThan(1000);
            // Admitted watches end (200) at each of her writes, letting others in: at most 32 are open at once.
            assertThat(statuses).as("each watch either answered or refused").allMatch(s -> s == 200 || s == 429);
            assertThat(tooMany).as("watches over the per-user cap refused").isPositive();
        }
    }

    @Test
    void twentyThousandUiMissesDoNotGrowTheHeap() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of())) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            HttpClient client = HttpClient.newBuilder().executor(pool).build();
            long before;
            long after;
            try {
                misses(client, server.url(), 5_000); // warm up the server's (and this client's) pools and code paths
                before = usedHeapAfterGc();
                misses(client, server.url(), 20_000);
                after = usedHeapAfterGc();
            } finally {
                pool.shutdownNow();
            }
            long grown = after - before;
            System.out.printf("20k UI misses: heap %d KiB before, %d KiB after (%+d KiB)%n", before / 1024, after / 1024, grown / 1024);
            // A cache of every miss holds 20k names of 67 characters: about 3 MiB; the JDK class loader's memory of
            // names it was asked for, about 4 MiB more.
            assertThat(grown).as("heap growth in bytes after 20k distinct misses").isLessThan(1024 * 1024);
            assertThat(server.http().get("/ui/app.js").status()).as("real files are still served").isEqualTo(200);
        }
    }

    @Test
    void slotAndKeyQuotasHoldOneUserBack() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin", "MUTEXIFY_MAX_SLOTS_PER_PRINCIPAL", "5"))) {
            String mallory = SignIn.dev(server, "mallory@example.com");
            TestHttp m = server.as(mallory);
            for (int i = 0; i < 5; i++) {
                assertThat(m.post("/api/v1/slots", "{\"id\":\"q-" + i + "\"}").status()).isEqualTo(201);
            }
            TestHttp.Res sixth = m.post("/api/v1/slots", "{\"id\":\"q-5\"}");
            assertThat(sixth.status()).as(sixth.text()).isEqualTo(429);
            assertThat(sixth.json().path("error").asText()).isEqualTo("too_many_slots");
            assertThat(m.post("/api/v1/locks/q-auto", "{}").status()).as("an acquire that would register").isEqualTo(429);
            assertThat(m.post("/api/v1/locks/q-0", "{}").status()).as("her own slots still work").isEqualTo(200);
            assertThat(server.as(SignIn.dev(server, "bob@example.com")).post("/api/v1/slots", "{\"id\":\"b-0\"}").status())
                    .as("another user is not affected").isEqualTo(201);
            assertThat(m.delete("/api/v1/slots/q-1").status()).isEqualTo(204);
            assertThat(m.post("/api/v1/slots", "{\"id\":\"q-5\"}").status()).as("room again after a delete").isEqualTo(201);

            // Keys: 50 that expired do not count against the 50 allowed.
            for (int i = 0; i < 50; i++) {
                assertThat(m.post("/api/v1/keys", "{\"name\":\"short-" + i + "\",\"expiresIn\":1}").status()).isEqualTo(201);
            }
            assertThat(m.post("/api/v1/keys", "{\"name\":\"one-too-many\"}").status()).isEqualTo(409);
            Thread.sleep(1500);
            assertThat(m.post("/api/v1/keys", "{\"name\":\"after-expiry\"}").status()).isEqualTo(201);
        }
    }

    /** {@code n} requests for UI files that do not exist, each a different name of the longest allowed length. */
    private static void misses(HttpClient client, URI base, int n) {
        List<CompletableFuture<Integer>> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(client.sendAsync(HttpRequest.newBuilder(base.resolve("/ui/" + randomName() + ".js")).build(),
                    HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode));
            if (batch.size() == 64) {
                drain(batch);
            }
        }
        drain(batch);
    }

    private static void drain(List<CompletableFuture<Integer>> batch) {
        for (CompletableFuture<Integer> f : batch) {
            assertThat(f.join()).isEqualTo(404);
        }
        batch.clear();
    }

    private static String randomName() {
        StringBuilder b = new StringBuilder("m");
        for (int i = 0; i < 63; i++) {
            b.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(ThreadLocalRandom.current().nextInt(36)));
        }
        return b.toString();
    }

    /** Used heap after a full collection, the lowest of a few tries (other threads allocate meanwhile). */
    private static long usedHeapAfterGc() throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
