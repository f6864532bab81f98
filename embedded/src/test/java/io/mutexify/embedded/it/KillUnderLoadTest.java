package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL under bench load: 16 clients acquire and release over HTTP, twelve on slots of their own
 * and four in line for one shared slot, when the server is killed. After a restart on the same
 * data folder every acknowledged grant is the slot's hold or in its history, every acknowledged
 * release is in the history as released and no longer holds, and fences only ever went up.
 */
class KillUnderLoadTest {
    private static final String L = "/api/v1/locks/";
    private static final int OWN = 12;
    private static final int SHARED = 4;
    /** Per client, so no slot's history outgrows one history page (1000 entries). */
    private static final int MAX_CYCLES = 200;

    @TempDir
    Path dir;
    private final List<ServerProcess> servers = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

    /** One acknowledged answer: a grant (token, fence) and, if acknowledged too, its release. */
    private record Ack(String slot, String owner, String token, long fence, boolean released) {
    }

    @AfterEach
    void destroyServers() {
        servers.forEach(ServerProcess::close);
    }

    @Test
    void everyAcknowledgedGrantAndReleaseSurvivesAKillUnderLoad() throws Exception {
        Path data = dir.resolve("data");
        ServerProcess first = start(data);
        ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        AtomicInteger cycles = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < OWN + SHARED; c++) {
            String slot = c < OWN ? "own-" + c : "shared";
            int client = c;
            Thread t = new Thread(() -> cycle(new TestHttp(first.url()), slot, client, stop, acks, cycles), "load-" + c);
            t.start();
            clients.add(t);
        }
        // Kill mid-stream: well into the load, with clients still acquiring and releasing.
        await().atMost(Duration.ofSeconds(30)).until(() -> cycles.get() >= 300);
        first.process().destroyForcibly();
        assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(first.process().exitValue()).as("killed by SIGKILL").isEqualTo(137);
        stop.set(true);
        for (Thread t : clients) {
            t.join(30_000);
        }
        assertThat(problems).as("fences rise for each client").isEmpty();
        List<Ack> acked = List.copyOf(acks);
        long releases = acked.stream().filter(Ack::released).count();
        System.out.printf("kill under load: %d acknowledged grants, %d of them released, on %d slots%n",
                acked.size(), releases, acked.stream().map(Ack::slot).distinct().count());
        assertThat(releases).isGreaterThanOrEqualTo(250);
        assertThat(acked.stream().anyMatch(a -> a.slot().equals("shared"))).isTrue();

        TestHttp http = start(data).http();
        Map<String, List<Ack>> bySlot = new HashMap<>();
        acked.forEach(a -> bySlot.computeIfAbsent(a.slot(), k -> new ArrayList<>()).add(a));
        for (var e : bySlot.entrySet()) {
            String slot = e.getKey();
            JsonNode history = ApiAssert.ok(http.get("/api/v1/slots/" + slot + "/history?limit=1000"), 200);
            Map<Long, JsonNode> ended = new HashMap<>();
            long previous = Long.MAX_VALUE;
            for (JsonNode h : history.path("history")) {
                long fence = h.path("fence").asLong();
                assertThat(fence).as("history of %s newest first, each fence once", slot).isLessThan(previous);
                previous = fence;
                ended.put(fence, h);
            }
            long maxFence = 0;
            for (Ack a : e.getValue()) {
                maxFence = Math.max(maxFence, a.fence());
                JsonNode entry = ended.get(a.fence());
                TestHttp.Res now = http.get(L + slot + "/" + a.token());
                if (a.released()) {
                    assertThat(entry).as("acknowledged release of %s fence %d in the history", slot, a.fence()).isNotNull();
                    assertThat(entry.path("ended").asText()).isEqualTo("released");
                    assertThat(entry.path("owner").asText()).isEqualTo(a.owner());
                    assertThat(now.status()).as("released lock %s fence %d no longer held", slot, a.fence()).isEqualTo(404);
                } else {
                    boolean held = now.status() == 200 && now.json().path("fence").asLong() == a.fence();
                    boolean inHistory = entry != null && entry.path("owner").asText().equals(a.owner());
                    assertThat(held || inHistory).as("acknowledged grant of %s fence %d held or in history", slot, a.fence())
                            .isTrue();
                    if (held) { // its token still works after the restart
                        assertThat(http.delete(L + slot + "/" + a.token()).status()).isEqualTo(204);
                    }
                }
            }
            // Fences never go back: the slot's fence counter is at least every fence acknowledged
            // before the kill, so its next grant is above all of them. (Not by acquiring now: the
            // killed clients' waiters are still in line until their waits end.)
            JsonNode state = ApiAssert.ok(http.get("/api/v1/slots/" + slot), 200);
            assertThat(state.path("fence").asLong()).as("fence counter of %s", slot).isGreaterThanOrEqualTo(maxFence);
        }
    }

    /** Acquire, release, again, recording what was acknowledged, until stopped or the server is gone. */
    private void cycle(TestHttp http, String slot, int client, AtomicBoolean stop, ConcurrentLinkedQueue<Ack> acks,
                       AtomicInteger cycles) {
        long lastFence = 0;
        for (int n = 0; n < MAX_CYCLES && !stop.get(); n++) {
            String owner = "client-" + client + "-" + n;
            try {
                TestHttp.Res granted = http.post(L + slot, "{\"timeout\":60,\"wait\":30,\"owner\":\"" + owner + "\"}");
                if (granted.status() != 200) {
                    return;
                }
                String token = granted.json().path("token").asText();
                long fence = granted.json().path("fence").asLong();
                if (fence <= lastFence) {
                    problems.add(slot + ": fence " + fence + " after " + lastFence);
                }
                lastFence = fence;
                acks.add(new Ack(slot, owner, token, fence, false));
                if (http.delete(L + slot + "/" + token).status() != 204) {
                    return;
                }
                acks.remove(new Ack(slot, owner, token, fence, false));
                acks.add(new Ack(slot, owner, token, fence, true));
                cycles.incrementAndGet();
            } catch (RuntimeException serverGone) {
                return;
            }
        }
    }

    private ServerProcess start(Path data) throws IOException, InterruptedException {
        ServerProcess server = ServerProcess.start(data, dir.resolve("server-" + (servers.size() + 1) + ".log"), Map.of());
        servers.add(server);
        return server;
    }
}
