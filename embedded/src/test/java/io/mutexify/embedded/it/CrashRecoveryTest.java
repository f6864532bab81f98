package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mutexify.model.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL the server while it holds locks and start it again on the same data folder: holders,
 * tokens, fences and history are intact, every acquire that was acknowledged is there, a released
 * slot's next grant gets a higher fence, and a held lock still expires on time.
 *
 * <p>The server runs in a separate JVM ({@code io.mutexify.embedded.Main} on this test's class
 * path) so it can really be killed: no shutdown hook, no store close, no queue drain.
 */
class CrashRecoveryTest {
    private static final String L = "/api/v1/locks/";
    private static final String S = "/api/v1/slots";
    /** How late an expiry may be observed after {@code expireAt}. */
    private static final Duration EXPIRY_SLACK = Duration.ofMillis(1500);
    private static final int SHORT_TIMEOUT = 6;

    @TempDir
    Path dir;
    private final List<ServerProcess> servers = new ArrayList<>();

    @AfterEach
    void destroyServers() {
        servers.forEach(ServerProcess::close);
    }

    @Test
    void locksTokensFencesAndHistorySurviveSigkillAndExpiryStillFiresOnTime() throws Exception {
        try {
            run();
        } catch (Throwable t) {
            printLogs();
            throw t;
        }
    }

    private void run() throws Exception {
        Path data = dir.resolve("data");
        ServerProcess first = start(data);
        TestHttp http = first.http();

        // A long lock, then extended: its view after the extend is what must survive.
        JsonNode long1 = ok(http.post(L + "long", "{\"owner\":\"job-long\",\"timeout\":3600,\"metadata\":[\"a\",\"b\"]}"));
        JsonNode longLock = ok(http.put(L + "long/" + long1.get("token").asText(), "{\"timeout\":7200}"));
        assertThat(longLock.get("token").asText()).isEqualTo(long1.get("token").asText());
        assertThat(longLock.get("expireAt").asText()).isNotEqualTo(long1.get("expireAt").asText());

        // Released and acquired again: history holds the first grant, the second is held.
        JsonNode c1 = ok(http.post(L + "cycle", "{\"owner\":\"first\",\"timeout\":600}"));
        assertThat(http.delete(L + "cycle/" + c1.get("token").asText()).status()).isEqualTo(204);
        JsonNode cycleLock = ok(http.post(L + "cycle", "{\"owner\":\"second\",\"timeout\":900,\"metadata\":\"m\"}"));
        assertThat(cycleLock.get("fence").asLong()).isEqualTo(c1.get("fence").asLong() + 1);

        // Released and left free: the next grant after the restart must get a higher fence.
        JsonNode gone = ok(http.post(L + "gone", "{\"timeout\":600}"));
        assertThat(http.post(L + "gone", "{\"timeout\":600}").status()).isEqualTo(409);
        assertThat(http.delete(L + "gone/" + gone.get("token").asText()).status()).isEqualTo(204);
        JsonNode gone2 = ok(http.post(L + "gone", "{\"timeout\":600}"));
        assertThat(http.delete(L + "gone/" + gone2.get("token").asText()).status()).isEqualTo(204);
        long goneFence = gone2.get("fence").asLong();

        // A registered slot with settings and no lock.
        assertThat(http.post(S, "{\"id\":\"plain\",\"name\":\"Plain\",\"maxTimeout\":120,\"defaultTimeout\":30}").status())
                .isEqualTo(201);

        // Traffic in flight at the moment of the kill: every acquire answered 200 must survive.
        List<JsonNode> acknowledged = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread traffic = new Thread(() -> {
            TestHttp client = new TestHttp(first.url());
            for (int i = 0; !stop.get() && i < 10_000; i++) {
                try {
                    TestHttp.Res r = client.post(L + "burst-" + i, "{\"owner\":\"burst\",\"timeout\":3600}");
                    if (r.status() == 200) {
                        acknowledged.add(r.json());
                    }
                } catch (RuntimeException connectionGone) {
                    return;
                }
            }
        }, "crash-test-traffic");
        traffic.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.size() >= 25);

        // The short lock goes last, right before the kill, so the restart happens well within its 6 s.
        JsonNode shortLock = ok(http.post(L + "short", "{\"owner\":\"job-short\",\"timeout\":" + SHORT_TIMEOUT + "}"));
        Instant shortExpireAt = Instant.parse(shortLock.get("expireAt").asText());

        Map<String, JsonNode> held = new LinkedHashMap<>();
        held.put("long", longLock);
        held.put("cycle", cycleLock);
        held.put("short", shortLock);
        Map<String, JsonNode> historyBefore = new LinkedHashMap<>();
        for (String slot : List.of("long", "cycle", "gone", "plain", "short")) {
            historyBefore.put(slot, ok(http.get(S + "/" + slot + "/history")));
        }
        JsonNode listBefore = ApiAssert.allSlots(http);

        first.process().destroyForcibly();
        assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        stop.set(true);
        traffic.join(30_000);
        assertThat(first.process().exitValue()).as("killed by SIGKILL, no shutdown hook").isEqualTo(137);
        List<JsonNode> acked = List.copyOf(acknowledged);

        ServerProcess second = start(data);
        http = second.http();
        assertThat(Instant.now()).as("the restart must come before the short lock's expiry for this test to mean anything")
                .isBefore(shortExpireAt.minusMillis(500));

        // Holders, tokens, fences and expiries: exactly as acknowledged before the kill.
        for (var e : held.entrySet()) {
            JsonNode now = ok(http.get(L + e.getKey() + "/" + e.getValue().get("token").asText()));
            assertThat(now).as("lock on " + e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(acked).hasSizeGreaterThanOrEqualTo(25);
        for (JsonNode a : acked) {
            String slot = a.get("resource").asText();
            TestHttp.Res r = http.get(L + slot + "/" + a.get("token").asText());
            assertThat(r.status()).as("acknowledged acquire of " + slot + " survives the kill").isEqualTo(200);
            assertThat(r.json()).isEqualTo(a);
        }
        // History and registrations unchanged (versions included; the list's global index is per process).
        for (var e : historyBefore.entrySet()) {
            assertThat(ok(http.get(S + "/" + e.getKey() + "/history"))).as("history of " + e.getKey()).isEqualTo(e.getValue());
        }
        JsonNode listAfter = ApiAssert.allSlots(http);
        assertThat(withoutBurst(listAfter)).isEqualTo(withoutBurst(listBefore));
        assertThat(http.get(S + "/plain").json().get("maxTimeout").asInt()).isEqualTo(120);

        // Fences never go back: the released slot's next grant is above every fence it handed out.
        JsonNode regrant = ok(http.post(L + "gone", "{\"timeout\":600}"));
        assertThat(regrant.get("fence").asLong()).isGreaterThan(goneFence);
        // The held slots still refuse others, naming their holder.
        TestHttp.Res busy = http.post(L + "long", "{\"timeout\":10}");
        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.json().get("holder").asText()).isEqualTo("job-long");

        // The short lock's expiry was re-armed from the store and fires on time.
        assertThat(http.get(L + "short").status()).as("still held before its expireAt").isEqualTo(200);
        TestHttp client = http;
        Duration budget = Duration.between(Instant.now(), shortExpireAt.plus(EXPIRY_SLACK));
        JsonNode expired = await("the short lock's expiry in its history by expireAt + " + EXPIRY_SLACK).atMost(budget.plusMillis(200)).pollInterval(Duration.ofMillis(50))
                .until(() -> expiredEntry(client, shortLock.get("fence").asLong()), e -> e != null);
        Instant seen = Instant.now();
        assertThat(seen).as("expiry observed within %s of expireAt %s", EXPIRY_SLACK, shortExpireAt)
                .isBefore(shortExpireAt.plus(EXPIRY_SLACK));
        assertThat(seen).as("not before expireAt").isAfterOrEqualTo(shortExpireAt);
        assertThat(Instant.parse(expired.get("endedAt").asText())).isEqualTo(shortExpireAt);
        assertThat(expired.get("owner").asText()).isEqualTo("job-short");
        assertThat(http.get(L + "short").status()).isEqualTo(404);
        assertThat(http.get(L + "short/" + shortLock.get("token").asText()).status()).isEqualTo(404);
        JsonNode shortSlot = ok(http.get(S + "/short"));
        assertThat(shortSlot.get("state").asText()).isEqualTo("free");
        assertThat(shortSlot.get("version").asLong())
                .as("the expiry was committed")
                .isGreaterThan(stateOf(listBefore, "short").get("version").asLong());
        // The lock that was not due is untouched.
        assertThat(ok(http.get(L + "long/" + longLock.get("token").asText()))).isEqualTo(longLock);
    }

    /** The history entry that records the short lock's expiry, or null while there is none. */
    private static JsonNode expiredEntry(TestHttp http, long fence) {
        for (JsonNode h : http.get(S + "/short/history").json().get("history")) {
            if (h.get("fence").asLong() == fence && "expired".equals(h.get("ended").asText())) {
                return h;
            }
        }
        return null;
    }

    private static JsonNode stateOf(JsonNode slots, String id) {
        for (JsonNode s : slots) {
            if (s.get("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no slot " + id + " in " + slots);
    }

    /** The slot list without the burst slots (compared one by one) — the kill may have cut an unacknowledged one in. */
    private static ArrayNode withoutBurst(JsonNode slots) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (JsonNode s : slots) {
            if (!s.get("id").asText().startsWith("burst-")) {
                out.add(((ObjectNode) s).deepCopy());
            }
        }
        return out;
    }

    private static JsonNode ok(TestHttp.Res r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    // ---- the server process ------------------------------------------------------------------------

    private ServerProcess start(Path data) throws IOException, InterruptedException {
        ServerProcess server = ServerProcess.start(data, dir.resolve("server-" + (servers.size() + 1) + ".log"), Map.of());
        servers.add(server);
        return server;
    }

    private void printLogs() {
        for (ServerProcess s : servers) {
            System.err.println("==== " + s.log() + " ====\n" + s.output());
        }
    }
}
