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
import java.util.concurrent.atomic.AtomicInteger;
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

            ExecutorService watchThreads = Executors.newFixedThreadPool(4);
            HttpClient watcher = HttpClient.newBuilder().executor(watchThreads).build();
            HttpRequest watch = HttpRequest.newBuilder(server.url().resolve("/api/v1/slots?index=" + index + "&wait=60s"))
                    .header("Authorization", "Bearer " + mallory).timeout(Duration.ofSeconds(90)).build();
            List<CompletableFuture<HttpResponse<Void>>> first = new ArrayList<>();
            for (int i = 0; i < WATCHES; i++) {
                first.add(watcher.sendAsync(watch, HttpResponse.BodyHandlers.discarding()));
            }
            // Nothing changes yet, so only refused watches answer: all but the per-user cap's worth.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (first.stream().filter(CompletableFuture::isDone).count() < WATCHES - 32 && System.nanoTime() < deadline) {
                sleep(100);
            }
            sleep(500);
            assertThat(first.stream().filter(f -> !f.isDone()).count()).as("watches open at once").isEqualTo(32);
            assertThat(first.stream().filter(CompletableFuture::isDone).map(f -> f.join().statusCode()))
                    .as("the others").containsOnly(429);
            // From now on every watch re-polls as a client would: at once after an answer, after Retry-After when refused.
            AtomicBoolean polling = new AtomicBoolean(true);
            AtomicInteger refused = new AtomicInteger();
            List<CompletableFuture<Void>> watches = new ArrayList<>();
            for (CompletableFuture<HttpResponse<Void>> f : first) {
                watches.add(f.handle((r, e) -> null).thenCompose(v -> repoll(watcher, server.url(), mallory, index, polling, refused)));
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
                for (int i = 0; i < 40; i++) {
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
            polling.set(false);
            long tooMany = refused.get();
            Collections.sort(ms);
            long p95 = ms.get((int) Math.ceil(ms.size() * 0.95) - 1);
            System.out.printf("1000 watches: %d refused with 429; bob's acquire p50 %d ms, p95 %d ms, max %d ms%n",
                    tooMany, ms.get(ms.size() / 2), p95, ms.get(ms.size() - 1));
            // Before the cap and the off-thread wake-ups every write stalled the commit thread for seconds, so
            // every acquire after one waited; here they do not. The bound is on the 95th percentile, with a
            // looser one on the slowest, because this machine's other builds also delay single requests.
            assertThat(p95).as("95th percentile of bob's acquires (ms), all: %s", ms).isLessThan(1000);
            assertThat(ms.get(ms.size() - 1)).as("slowest of bob's acquires (ms), all: %s", ms).isLessThan(3000);
            assertThat(tooMany).as("re-polls refused over the per-user cap").isPositive();
            watchThreads.shutdownNow();
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
    /**
     * Watches again and again until told to stop, as a client would: from the index of the last
     * answer, at once after an answer, after the {@code Retry-After} it was given when refused.
     */
    private static CompletableFuture<Void> repoll(HttpClient client, URI base, String token, long index,
                                                  AtomicBoolean polling, AtomicInteger refused) {
        if (!polling.get()) {
            return CompletableFuture.completedFuture(null);
        }
        HttpRequest watch = HttpRequest.newBuilder(base.resolve("/api/v1/slots?index=" + index + "&wait=60s"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(90)).build();
        return client.sendAsync(watch, HttpResponse.BodyHandlers.discarding()).handle((r, e) -> r).thenCompose(r -> {
            if (r != null && r.statusCode() == 200) {
                long next = r.headers().firstValueAsLong("X-Mutexify-Index").orElse(index);
                return repoll(client, base, token, next, polling, refused);
            }
            long retryAfter = 1;
            if (r != null && r.statusCode() == 429) {
                refused.incrementAndGet();
                retryAfter = r.headers().firstValueAsLong("Retry-After").orElse(1);
            }
            return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(retryAfter, TimeUnit.SECONDS))
                    .thenCompose(v -> repoll(client, base, token, index, polling, refused));
        });
    }

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
