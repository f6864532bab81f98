package io.mutexify.embedded.it;

import static io.mutexify.embedded.it.ApiAssert.error;
import static io.mutexify.embedded.it.ApiAssert.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.model.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Fair (FIFO) waiting over real HTTP. */
class WaitingHttpTest extends ServerPerTest {
    private static final String SLOT = "/api/v1/slots/line";
    private static final String LOCK = "/api/v1/locks/line";

    private ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void releasesHandTheLockToWaitersInTheOrderTheyCame() throws Exception {
        JsonNode holder = ok(http.post(LOCK, "{\"owner\":\"holder\",\"timeout\":120}"), 200);

        List<CompletableFuture<TestHttp.Res>> waiters = new ArrayList<>();
        List<String> names = List.of("first", "second", "third");
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            waiters.add(CompletableFuture.supplyAsync(() -> http.post(LOCK,
                    "{\"owner\":\"" + name + "\",\"timeout\":120,\"wait\":30,\"metadata\":[\"" + name + "\"]}"), pool));
            // Start the next one only once this one is visibly in line.
            int inLine = i + 1;
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> ok(http.get(SLOT), 200).path("waiting").asInt() == inLine);
        }
        JsonNode slot = ok(http.get(SLOT), 200);
        assertThat(slot.path("waiters").findValuesAsText("owner")).containsExactlyElementsOf(names);
        assertThat(slot.path("waiters").findValuesAsText("principal")).containsOnly("anonymous");
        assertThat(waiters).noneMatch(CompletableFuture::isDone);

        long lastFence = holder.path("fence").asLong();
        String token = holder.path("token").asText();
        for (int i = 0; i < names.size(); i++) {
            assertThat(http.delete(LOCK + "/" + token).status()).isEqualTo(204);
            JsonNode granted = ok(waiters.get(i).get(10, TimeUnit.SECONDS), 200);
            assertThat(granted.path("owner").asText()).isEqualTo(names.get(i));
            assertThat(granted.path("principal").asText()).isEqualTo("anonymous");
            assertThat(granted.path("metadata").get(0).asText()).isEqualTo(names.get(i));
            assertThat(granted.path("timeout").asInt()).isEqualTo(120);
            assertThat(granted.path("fence").asLong()).isGreaterThan(lastFence);
            lastFence = granted.path("fence").asLong();
            token = granted.path("token").asText();
            // The one granted holds it now, per the server; those behind it are still waiting.
            assertThat(ok(http.get(LOCK), 200).path("owner").asText()).isEqualTo(names.get(i));
            assertThat(ok(http.get(LOCK + "/" + token), 200).path("fence").asLong()).isEqualTo(lastFence);
            JsonNode now = ok(http.get(SLOT), 200);
            assertThat(now.path("waiting").asInt()).isEqualTo(names.size() - i - 1);
            assertThat(now.path("waiters").findValuesAsText("owner")).containsExactlyElementsOf(names.subList(i + 1, names.size()));
            for (int j = i + 1; j < names.size(); j++) {
                assertThat(waiters.get(j)).isNotDone();
            }
        }
        assertThat(lastFence).isEqualTo(holder.path("fence").asLong() + 3);

        assertThat(http.delete(LOCK + "/" + token).status()).isEqualTo(204);
        error(http.get(LOCK), 404, "not_held");
        List<String> ended = new ArrayList<>();
        ok(http.get(SLOT + "/history"), 200).path("history").forEach(h ->
                ended.add(h.path("owner").asText() + ":" + h.path("fence").asLong() + ":" + h.path("ended").asText()));
        long f = holder.path("fence").asLong();
        // Newest first.
        assertThat(ended).containsExactly("third:" + (f + 3) + ":released", "second:" + (f + 2) + ":released",
                "first:" + (f + 1) + ":released", "holder:" + f + ":released");
    }

    @Test
    void aWaiterWhoseWaitEndsGets409AndIsNeverGrantedLater() {
        JsonNode holder = ok(http.post(LOCK, "{\"owner\":\"holder\",\"timeout\":120}"), 200);

        long started = System.nanoTime();
        TestHttp.Res refused = http.post(LOCK, "{\"owner\":\"impatient\",\"wait\":1}");
        long elapsedMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        JsonNode body = error(refused, 409, "locked");
        assertThat(body.path("holder").asText()).isEqualTo("holder");
        assertThat(body.path("fence").asLong()).isEqualTo(holder.path("fence").asLong());
        assertThat(Instant.parse(body.path("expireAt").asText())).isEqualTo(Instant.parse(holder.path("expireAt").asText()));
        assertThat(elapsedMs).as("refused when its wait ended, not before").isBetween(900L, 8_000L);
        assertThat(ok(http.get(SLOT), 200).path("waiting").asInt()).isZero();

        // Once released, nobody is waiting: the slot is free rather than handed to the impatient one.
        assertThat(http.delete(LOCK + "/" + holder.path("token").asText()).status()).isEqualTo(204);
        error(http.get(LOCK), 404, "not_held");
        JsonNode slot = ok(http.get(SLOT), 200);
        assertThat(slot.path("state").asText()).isEqualTo("free");
        assertThat(slot.path("fence").asLong()).isEqualTo(holder.path("fence").asLong());
    }

    @Test
    void aRetriedWaitingAcquireWithTheSameKeyKeepsItsPlaceAndGetsTheSameGrant() throws Exception {
        JsonNode holder = ok(http.post(LOCK, "{\"owner\":\"holder\",\"timeout\":120}"), 200);
        String body = "{\"owner\":\"patient\",\"timeout\":120,\"wait\":30}";
        CompletableFuture<TestHttp.Res> first = CompletableFuture.supplyAsync(
                () -> http.send("POST", LOCK, body, "Idempotency-Key", "patient-1"), pool);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> ok(http.get(SLOT), 200).path("waiting").asInt() == 1);
        CompletableFuture<TestHttp.Res> other = CompletableFuture.supplyAsync(
                () -> http.post(LOCK, "{\"owner\":\"other\",\"timeout\":120,\"wait\":30}"), pool);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> ok(http.get(SLOT), 200).path("waiting").asInt() == 2);

        // The client retries (say its connection dropped): the same request, not a second place in line.
        CompletableFuture<TestHttp.Res> retry = CompletableFuture.supplyAsync(
                () -> http.send("POST", LOCK, body, "Idempotency-Key", "patient-1"), pool);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() ->
                !retry.isDone() && ok(http.get(SLOT), 200).path("waiting").asInt() == 2);
        assertThat(ok(http.get(SLOT), 200).path("waiters").findValuesAsText("owner")).containsExactly("patient", "other");

        assertThat(http.delete(LOCK + "/" + holder.path("token").asText()).status()).isEqualTo(204);
        JsonNode granted = ok(first.get(10, TimeUnit.SECONDS), 200);
        assertThat(ok(retry.get(10, TimeUnit.SECONDS), 200)).isEqualTo(granted);
        assertThat(granted.path("owner").asText()).isEqualTo("patient");
        assertThat(granted.path("fence").asLong()).isEqualTo(holder.path("fence").asLong() + 1);
        // The other waiter is next, right behind.
        assertThat(other).isNotDone();
        assertThat(http.delete(LOCK + "/" + granted.path("token").asText()).status()).isEqualTo(204);
        JsonNode second = ok(other.get(10, TimeUnit.SECONDS), 200);
        assertThat(second.path("owner").asText()).isEqualTo("other");
        assertThat(second.path("fence").asLong()).isEqualTo(granted.path("fence").asLong() + 1);
        assertThat(ok(http.get(SLOT), 200).path("waiting").asInt()).isZero();
    }

    @Test
    void aWaiterIsGrantedWhenTheHoldExpires() {
        JsonNode holder = ok(http.post(LOCK, "{\"owner\":\"holder\",\"timeout\":1}"), 200);
        JsonNode next = ok(http.post(LOCK, "{\"owner\":\"patient\",\"wait\":20}"), 200);
        assertThat(next.path("owner").asText()).isEqualTo("patient");
        assertThat(next.path("fence").asLong()).isEqualTo(holder.path("fence").asLong() + 1);
        assertThat(Instant.parse(next.path("createdAt").asText()))
                .isAfterOrEqualTo(Instant.parse(holder.path("expireAt").asText()));
        JsonNode history = ok(http.get(SLOT + "/history"), 200);
        assertThat(history.path("history").get(0).path("ended").asText()).isEqualTo("expired");
        assertThat(history.path("current").path("owner").asText()).isEqualTo("patient");
    }

    /**
     * Ghost waiters: a waiter whose HTTP connection closes while it waits (a closed tab, a killed
     * curl) leaves the line within a second and is never granted. Raw sockets, so the test closes
     * the very connection the server watches.
     */
    @Nested
    class GhostWaiters {
        private static final Duration GONE_WITHIN = Duration.ofSeconds(1);

        /** Sends a waiting acquire on a socket of its own and leaves it open, unread. */
        private Socket waitOnRawSocket(String owner) throws IOException {
            URI base = server.url();
            Socket socket = new Socket(base.getHost(), base.getPort());
            sendWaitingAcquire(socket, owner);
            return socket;
        }

        private void sendWaitingAcquire(Socket socket, String owner) throws IOException {
            byte[] body = ("{\"owner\":\"" + owner + "\",\"timeout\":120,\"wait\":30}").getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + LOCK + " HTTP/1.1\r\nHost: " + server.url().getHost() + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        }

        private int waiting() {
            return ok(http.get(SLOT), 200).path("waiting").asInt();
        }

        private void awaitWaiting(int n) {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> waiting() == n);
        }

        /** Closes {@code socket} and returns how long it took for the line to shrink to {@code left}. */
        private Duration closeAndTimeUntilWaiting(Socket socket, int left) throws IOException {
            long closed = System.nanoTime();
            socket.close();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> waiting() == left);
            return Duration.ofNanos(System.nanoTime() - closed);
        }

        @Test
        void aWaiterWhoseConnectionClosesLeavesTheLineAndTheSlotGoesFree() throws Exception {
            JsonNode holder = ok(http.post(LOCK, "{\"owner\":\"holder\",\"timeout\":120}"), 200);
            Socket ghost = waitOnRawSocket("ghost");
            awaitWaiting(1);

            Duration took = closeAndTimeUntilWaiting(ghost, 0);

            assertThat(took).as("out of the line").isLessThan(GONE_WITHIN);
            assertThat(http.delete(LOCK + "/" + holder.path("token").asText()).status()).isEqualTo(204);
            // Never granted: the slot stays free and its history has only the holder's hold.
            Thread.sleep(300);
            JsonNode slot = ok(http.get(SLOT), 200);
            assertThat(slot.path("state").asText()).isEqualTo("free");
            assertThat(slot.path("fence").asLong()).isEqualTo(holder.path("fence").asLong());
            assertThat(http.get(LOCK).status()).isEqualTo(404);
        }

        @Test
        void aResetConnectionCountsAsGoneAndTheNextLiveWaiterGetsTheLock() throws Exception {
            JsonNode holder = ok(http.post(LOCK, "{\"owner\":\"holder\",\"timeout\":120}"), 200);
            Socket ghost = waitOnRawSocket("ghost");
            awaitWaiting(1);
            CompletableFuture<TestHttp.Res> live = CompletableFuture.supplyAsync(
                    () -> http.post(LOCK, "{\"owner\":\"live\",\"timeout\":120,\"wait\":30}"), pool);
            awaitWaiting(2);

            ghost.setSoLinger(true, 0); // close with a reset, as a killed process with unread data would
            Duration took = closeAndTimeUntilWaiting(ghost, 1);

            assertThat(took).isLessThan(GONE_WITHIN);
            assertThat(ok(http.get(SLOT), 200).path("waiters").findValuesAsText("owner")).containsExactly("live");
            assertThat(http.delete(LOCK + "/" + holder.path("token").asText()).status()).isEqualTo(204);
            JsonNode granted = ok(live.get(10, TimeUnit.SECONDS), 200);
            assertThat(granted.path("owner").asText()).isEqualTo("live");
            assertThat(granted.path("fence").asLong()).as("the very next grant").isEqualTo(holder.path("fence").asLong() + 1);
        }

        @Test
        void aWaiterThatStaysConnectedIsAnsweredOnTheSameConnection() throws Exception {
            JsonNode holder = ok(http.post(LOCK, "{\"owner\":\"holder\",\"timeout\":120}"), 200);
            try (Socket waiter = waitOnRawSocket("patient")) {
                awaitWaiting(1);
                Thread.sleep(200); // watched, and still there
                assertThat(waiting()).isEqualTo(1);

                assertThat(http.delete(LOCK + "/" + holder.path("token").asText()).status()).isEqualTo(204);

                waiter.setSoTimeout(10_000);
                String head = readHead(waiter.getInputStream());
                assertThat(head).startsWith("HTTP/1.1 200");
                assertThat(head.toLowerCase()).doesNotContain("connection: close");
            }
        }

        @Test
        void aConnectionKeptAliveIsWatchedAgainForItsNextWait() throws Exception {
            JsonNode holder = ok(http.post(LOCK, "{\"owner\":\"holder\",\"timeout\":120}"), 200);
            Socket socket = waitOnRawSocket("first");
            awaitWaiting(1);
            assertThat(http.delete(LOCK + "/" + holder.path("token").asText()).status()).isEqualTo(204);
            socket.setSoTimeout(10_000);
            String head = readHead(socket.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 200");
            int length = Integer.parseInt(head.replaceAll("(?is).*content-length:\\s*(\\d+).*", "$1"));
            JsonNode granted = Json.mapper().readTree(socket.getInputStream().readNBytes(length));

            sendWaitingAcquire(socket, "second"); // the same connection waits again, behind its own first grant
            awaitWaiting(1);
            Duration took = closeAndTimeUntilWaiting(socket, 0);

            assertThat(took).isLessThan(GONE_WITHIN);
            assertThat(http.delete(LOCK + "/" + granted.path("token").asText()).status()).isEqualTo(204);
            Thread.sleep(300);
            assertThat(http.get(LOCK).status()).as("the second wait was never granted").isEqualTo(404);
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                head.append((char) c);
            }
            return head.toString();
        }
    }
}
