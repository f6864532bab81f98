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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool of three named units and twelve clients cycling acquire-with-wait and release over real
 * HTTP. A history checker reads three records of what happened and finds it safe and fair: what
 * the clients saw (their critical sections), what a watcher polling the slot saw (every live hold
 * and the line at one moment), and the server's own history of ended holds. At every instant at
 * most three holds, never two of one unit, fences rising with grant order, and a line served in
 * the order it formed.
 */
class PoolClientsHttpTest {
    private static final int CLIENTS = 12;
    private static final int GRANTS_PER_CLIENT = 25;
    private static final List<String> UNITS = List.of("ci-env-1", "ci-env-2", "ci-env-3");

    @TempDir
    Path dir;

    /** Per unit, touched only while holding it; deliberately not atomic, so an overlap would lose updates. */
    private final Map<String, Integer> perUnit = new ConcurrentHashMap<>();
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();

    private record Grant(String owner, String unit, long fence, long grantedAtNanos, long releaseStartedNanos) {
    }

    /** The slot as the watcher saw it at one moment: the live holds' units and the line's owners, oldest first. */
    private record Snapshot(List<String> heldUnits, List<String> line, List<Instant> lineSince) {
    }

    @Test
    void aPoolOfThreeIsSafeFencedAndFairUnderTwelveClients() throws Exception {
        ConcurrentLinkedQueue<Grant> grants = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Snapshot> snapshots = new ConcurrentLinkedQueue<>();
        UNITS.forEach(u -> perUnit.put(u, 0));
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + 1);
        AtomicBoolean running = new AtomicBoolean(true);
        try (TestServer server = TestServer.start(dir)) {
            URI base = server.url();
            TestHttp.Res created = server.http().post("/api/v1/slots",
                    "{\"id\":\"ci-envs\",\"units\":[\"ci-env-1\",\"ci-env-2\",\"ci-env-3\"]}");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            assertThat(created.json().path("capacity").asInt()).isEqualTo(3);

            Future<?> watcher = threads.submit(() -> watch(server.http(), running, snapshots));
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Void>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                String name = "client-" + c;
                done.add(threads.submit((Callable<Void>) () -> {
                    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(5)).build();
                    go.await();
                    for (int i = 0; i < GRANTS_PER_CLIENT; i++) {
                        grants.add(cycle(client, base, name + "/" + i));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<Void> f : done) {
                f.get(180, TimeUnit.SECONDS);
            }
            running.set(false);
            watcher.get(10, TimeUnit.SECONDS);

            List<Grant> byGrantTime = new ArrayList<>(grants);
            byGrantTime.sort(Comparator.comparingLong(Grant::grantedAtNanos));
            assertThat(byGrantTime).hasSize(CLIENTS * GRANTS_PER_CLIENT);
            checkClientHistory(byGrantTime);
            checkSnapshots(new ArrayList<>(snapshots), byGrantTime);
            checkServerHistory(server.http().get("/api/v1/slots/ci-envs/history?limit=1000").json(), byGrantTime);

            assertThat(perUnit.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(CLIENTS * GRANTS_PER_CLIENT);
            assertThat(mostInside.get()).as("the pool was used in parallel").isBetween(2, 3);
            assertThat(byGrantTime.stream().map(Grant::unit).distinct()).containsExactlyInAnyOrderElementsOf(UNITS);
            JsonNode slot = server.http().get("/api/v1/slots/ci-envs").json();
            assertThat(slot.path("fence").asLong()).isEqualTo(CLIENTS * GRANTS_PER_CLIENT);
            assertThat(slot.path("holds")).isEmpty();
            assertThat(slot.path("available").asInt()).isEqualTo(3);
        } finally {
            running.set(false);
            threads.shutdownNow();
        }
    }

    /** One acquire-work-release cycle; the owner names the attempt so the watcher's line can be matched to grants. */
    private Grant cycle(HttpClient client, URI base, String owner) throws Exception {
        HttpResponse<String> acquired = send(client, HttpRequest.newBuilder(base.resolve("/api/v1/locks/ci-envs"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"owner\":\"" + owner + "\",\"timeout\":60,\"wait\":60}")));
        long grantedAt = System.nanoTime();
        assertThat(acquired.statusCode()).as("acquire by %s: %s", owner, acquired.body()).isEqualTo(200);
        JsonNode lock = Json.mapper().readTree(acquired.body());
        String unit = lock.path("unit").asText();
        assertThat(UNITS).contains(unit);

        int now = inside.incrementAndGet();
        mostInside.accumulateAndGet(now, Math::max);
        assertThat(now).as("holders inside at once").isLessThanOrEqualTo(3);
        int seen = perUnit.get(unit);
        Thread.sleep(2); // long enough that holders of different units are inside together
        perUnit.put(unit, seen + 1);
        inside.decrementAndGet();

        long releaseStarted = System.nanoTime();
        HttpResponse<String> released = send(client, HttpRequest.newBuilder(
                base.resolve("/api/v1/locks/ci-envs/" + lock.path("token").asText())).DELETE());
        assertThat(released.statusCode()).as("release by %s: %s", owner, released.body()).isEqualTo(204);
        return new Grant(owner, unit, lock.path("fence").asLong(), grantedAt, releaseStarted);
    }

    private static void watch(TestHttp http, AtomicBoolean running, ConcurrentLinkedQueue<Snapshot> out) {
        while (running.get()) {
            JsonNode slot = http.get("/api/v1/slots/ci-envs").json();
            List<String> held = new ArrayList<>();
            slot.path("holds").forEach(h -> held.add(h.path("unit").asText()));
            List<String> line = new ArrayList<>();
            List<Instant> since = new ArrayList<>();
            slot.path("waiters").forEach(w -> {
                line.add(w.path("owner").asText());
                since.add(Instant.parse(w.path("since").asText()));
            });
            out.add(new Snapshot(held, line, since));
        }
    }

    /** What the clients saw: per unit the critical sections never overlap and fences rise; never more than three at once. */
    private static void checkClientHistory(List<Grant> byGrantTime) {
        Map<String, Grant> lastOfUnit = new HashMap<>();
        for (int i = 0; i < byGrantTime.size(); i++) {
            Grant g = byGrantTime.get(i);
            Grant prev = lastOfUnit.put(g.unit(), g);
            if (prev != null) {
                assertThat(g.grantedAtNanos()).as("%s got %s after %s released it", g.owner(), g.unit(), prev.owner())
                        .isGreaterThan(prev.releaseStartedNanos());
                // Replies of concurrent grants may arrive in any order; one unit's grants follow each other.
                assertThat(g.fence()).as("fence of %s's grant of %s", g.owner(), g.unit()).isGreaterThan(prev.fence());
            }
            // At this grant's instant, at most two others are between their grant and their release.
            long t = g.grantedAtNanos();
            long overlapping = byGrantTime.stream()
                    .filter(o -> o.grantedAtNanos() <= t && o.releaseStartedNanos() >= t).count();
            assertThat(overlapping).as("holds seen at once at grant %d", i).isLessThanOrEqualTo(3);
        }
    }

    /** What the watcher saw: at most three holds of distinct units; a line in arrival order served in that order. */
    private static void checkSnapshots(List<Snapshot> snapshots, List<Grant> grants) {
        Map<String, Long> fenceOf = new HashMap<>();
        grants.forEach(g -> fenceOf.put(g.owner(), g.fence()));
        int lines = 0;
        for (Snapshot s : snapshots) {
            assertThat(s.heldUnits().size()).isLessThanOrEqualTo(3);
            assertThat(new HashSet<>(s.heldUnits())).as("one hold per unit").hasSameSizeAs(s.heldUnits());
            assertThat(s.lineSince()).as("the line is in arrival order").isSorted();
            for (int i = 1; i < s.line().size(); i++) {
                String older = s.line().get(i - 1);
                String younger = s.line().get(i);
                assertThat(fenceOf.get(older)).as("%s waited ahead of %s, so it is granted first", older, younger)
                        .isLessThan(fenceOf.get(younger));
            }
            if (s.line().size() >= 2) {
                lines++;
            }
        }
        assertThat(lines).as("snapshots that caught a line of two or more").isGreaterThan(10);
    }

    /** The server's own record: ended holds of one unit never overlap, at most three at once, fences in grant order. */
    private static void checkServerHistory(JsonNode history, List<Grant> grants) {
        record Ended(long fence, String unit, Instant acquiredAt, Instant endedAt) {
        }
        List<Ended> ended = new ArrayList<>();
        history.path("history").forEach(h -> ended.add(new Ended(h.path("fence").asLong(), h.path("unit").asText(),
                Instant.parse(h.path("acquiredAt").asText()), Instant.parse(h.path("endedAt").asText()))));
        assertThat(ended).hasSize(grants.size());
        assertThat(ended).allSatisfy(e -> assertThat(e.acquiredAt()).isBeforeOrEqualTo(e.endedAt()));
        ended.sort(Comparator.comparingLong(Ended::fence));
        Map<String, Ended> lastOfUnit = new HashMap<>();
        Set<Long> fences = new HashSet<>();
        for (int i = 0; i < ended.size(); i++) {
            Ended e = ended.get(i);
            assertThat(fences.add(e.fence())).isTrue();
            if (i > 0) {
                assertThat(e.acquiredAt()).as("fence %d granted no earlier than fence %d", e.fence(), ended.get(i - 1).fence())
                        .isAfterOrEqualTo(ended.get(i - 1).acquiredAt());
            }
            Ended prev = lastOfUnit.put(e.unit(), e);
            if (prev != null) {
                assertThat(e.acquiredAt()).as("%s: fence %d after fence %d ended", e.unit(), e.fence(), prev.fence())
                        .isAfterOrEqualTo(prev.endedAt());
            }
            Instant t = e.acquiredAt();
            long live = ended.stream()
                    .filter(o -> !o.acquiredAt().isAfter(t) && o.endedAt().isAfter(t)).count();
            assertThat(live).as("holds live at the grant of fence %d", e.fence()).isLessThanOrEqualTo(3);
        }
        Map<Long, String> unitByFence = new HashMap<>();
        grants.forEach(g -> unitByFence.put(g.fence(), g.unit()));
        ended.forEach(e -> assertThat(e.unit()).isEqualTo(unitByFence.get(e.fence())));
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(90)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
