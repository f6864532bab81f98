package io.mutexify.embedded.it;

import static io.mutexify.embedded.it.ApiAssert.error;
import static io.mutexify.embedded.it.ApiAssert.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The slot API over real HTTP: register, list, detail, patch, break, delete, re-register, long-poll. */
class SlotApiHttpTest extends ServerPerTest {
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
    void registerListDetailPatchBreakDeleteAndRegisterAgain() {
        TestHttp.Res created = http.post("/api/v1/slots", "{\"id\":\"staging\",\"name\":\"Staging\","
                + "\"description\":\"the staging cluster\",\"owners\":[\"anonymous\"],\"defaultTimeout\":600,"
                + "\"maxTimeout\":7200}");
        JsonNode slot = ok(created, 201);
        assertThat(slot.path("id").asText()).isEqualTo("staging");
        assertThat(slot.path("name").asText()).isEqualTo("Staging");
        assertThat(slot.path("defaultTimeout").asInt()).isEqualTo(600);
        assertThat(slot.path("maxTimeout").asInt()).isEqualTo(7200);
        assertThat(slot.path("state").asText()).isEqualTo("free");
        assertThat(created.header("X-Mutexify-Index")).isNotNull();

        error(http.post("/api/v1/slots", "{\"id\":\"staging\"}"), 409, "slot_exists");
        assertThat(ok(http.get("/api/v1/slots/staging"), 200).path("name").asText()).isEqualTo("Staging");

        // The list has it, with its state.
        JsonNode list = ok(http.get("/api/v1/slots"), 200);
        assertThat(listed(list, "staging").path("state").asText()).isEqualTo("free");

        // Detail, with the index header equal to the slot's version.
        TestHttp.Res detail = http.get("/api/v1/slots/staging");
        JsonNode d = ok(detail, 200);
        assertThat(detail.header("X-Mutexify-Index")).isEqualTo(Long.toString(d.path("version").asLong()));
        assertThat(d.path("owners").get(0).asText()).isEqualTo("anonymous");

        // Patch changes the fields named, keeps the others.
        JsonNode patched = ok(http.patch("/api/v1/slots/staging", "{\"name\":\"Staging EU\",\"maxTimeout\":3600}"), 200);
        assertThat(patched.path("name").asText()).isEqualTo("Staging EU");
        assertThat(patched.path("maxTimeout").asInt()).isEqualTo(3600);
        assertThat(patched.path("defaultTimeout").asInt()).isEqualTo(600);
        assertThat(patched.path("description").asText()).isEqualTo("the staging cluster");
        TestHttp.Res reread = http.get("/api/v1/slots/staging");
        assertThat(reread.json().path("name").asText()).isEqualTo("Staging EU");
        assertThat(Long.parseLong(reread.header("X-Mutexify-Index"))).isGreaterThan(Long.parseLong(detail.header("X-Mutexify-Index")));
        // The new maxTimeout is enforced.
        error(http.post("/api/v1/locks/staging", "{\"timeout\":3601}"), 400, "invalid_timeout");

        // Held: it shows as held, and cannot be deleted.
        JsonNode lock = ok(http.post("/api/v1/locks/staging", "{\"owner\":\"deployer\"}"), 200);
        assertThat(lock.path("timeout").asInt()).isEqualTo(600);
        long firstFence = lock.path("fence").asLong();
        assertThat(listed(ok(http.get("/api/v1/slots"), 200), "staging").path("state").asText()).isEqualTo("held");
        JsonNode held = ok(http.get("/api/v1/slots/staging"), 200);
        assertThat(held.path("state").asText()).isEqualTo("held");
        assertThat(held.path("lock").path("owner").asText()).isEqualTo("deployer");
        assertThat(held.path("lock").has("token")).isFalse();
        error(http.delete("/api/v1/slots/staging"), 409, "slot_held");
        assertThat(ok(http.get("/api/v1/slots/staging"), 200).path("state").asText()).isEqualTo("held");

        // Break: 200, then free, the token is dead and the history says "broken".
        JsonNode broken = ok(http.post("/api/v1/slots/staging/break", "{\"reason\":\"stuck job\"}"), 200);
        assertThat(broken.path("fence").asLong()).isEqualTo(firstFence);
        assertThat(broken.has("token")).isFalse();
        assertThat(ok(http.get("/api/v1/slots/staging"), 200).path("state").asText()).isEqualTo("free");
        error(http.get("/api/v1/locks/staging"), 404, "not_held");
        error(http.get("/api/v1/locks/staging/" + lock.path("token").asText()), 404, "lock_not_found");
        error(http.post("/api/v1/slots/staging/break", "{}"), 404, "not_held");
        JsonNode history = ok(http.get("/api/v1/slots/staging/history"), 200);
        assertThat(history.path("history")).hasSize(1);
        assertThat(history.path("history").get(0).path("ended").asText()).isEqualTo("broken");
        assertThat(history.path("history").get(0).path("fence").asLong()).isEqualTo(firstFence);
        assertThat(history.path("history").get(0).path("owner").asText()).isEqualTo("deployer");
        assertThat(history.path("history").get(0).path("endedBy").asText()).isEqualTo("anonymous");

        // Delete: 204, then it is gone everywhere.
        TestHttp.Res deleted = http.delete("/api/v1/slots/staging");
        assertThat(deleted.status()).isEqualTo(204);
        error(http.get("/api/v1/slots/staging"), 404, "slot_not_found");
        error(http.get("/api/v1/slots/staging/history"), 404, "slot_not_found");
        error(http.patch("/api/v1/slots/staging", "{\"name\":\"x\"}"), 404, "slot_not_found");
        error(http.delete("/api/v1/slots/staging"), 404, "slot_not_found");
        assertThat(ok(http.get("/api/v1/slots"), 200).path("slots").findValuesAsText("id")).doesNotContain("staging");

        // Registered again under the same id: the fence continues above the old one.
        JsonNode again = ok(http.post("/api/v1/slots", "{\"id\":\"staging\"}"), 201);
        assertThat(again.path("fence").asLong()).isEqualTo(firstFence);
        assertThat(again.path("name").isMissingNode() || again.path("name").isNull()).isTrue();
        JsonNode relock = ok(http.post("/api/v1/locks/staging", "{}"), 200);
        assertThat(relock.path("fence").asLong()).isGreaterThan(firstFence);
    }

    @Test
    void aSlotWatchReturnsPromptlyWhenTheSlotChanges() throws Exception {
        ok(http.post("/api/v1/slots", "{\"id\":\"watched\"}"), 201);
        TestHttp.Res before = http.get("/api/v1/slots/watched");
        long index = Long.parseLong(before.header("X-Mutexify-Index"));

        long started = System.nanoTime();
        CompletableFuture<TestHttp.Res> watch = CompletableFuture.supplyAsync(
                () -> http.get("/api/v1/slots/watched?index=" + index + "&wait=10s"), pool);
        // It blocks while nothing changes...
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> !watch.isDone());
        // ...and answers as soon as someone else acquires the slot.
        ok(http.post("/api/v1/locks/watched", "{\"owner\":\"changer\"}"), 200);
        TestHttp.Res changed = watch.get(5, TimeUnit.SECONDS);
        long elapsedMs = Duration.ofNanos(System.nanoTime() - started).toMillis();

        JsonNode body = ok(changed, 200);
        assertThat(elapsedMs).as("answered well before the 10 s wait").isLessThan(6_000);
        assertThat(Long.parseLong(changed.header("X-Mutexify-Index"))).isGreaterThan(index);
        assertThat(body.path("state").asText()).isEqualTo("held");
        assertThat(body.path("lock").path("owner").asText()).isEqualTo("changer");

        // An index already passed answers at once.
        long t0 = System.nanoTime();
        ok(http.get("/api/v1/slots/watched?index=" + index + "&wait=10s"), 200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0).toMillis()).isLessThan(2_000);
    }

    @Test
    void theIndexOfACreateOrPatchIsTheVersionThatChangeWasStoredWith() throws Exception {
        TestHttp.Res created = http.post("/api/v1/slots", "{\"id\":\"indexed\"}");
        ok(created, 201);
        TestHttp.Res read = http.get("/api/v1/slots/indexed");
        assertThat(created.header("X-Mutexify-Index")).isEqualTo(read.header("X-Mutexify-Index"));
        assertThat(created.json().path("version").asLong()).isEqualTo(read.json().path("version").asLong());

        TestHttp.Res patched = http.patch("/api/v1/slots/indexed", "{\"name\":\"Indexed\"}");
        ok(patched, 200);
        TestHttp.Res reread = http.get("/api/v1/slots/indexed");
        assertThat(Long.parseLong(patched.header("X-Mutexify-Index")))
                .isGreaterThan(Long.parseLong(read.header("X-Mutexify-Index")))
                .isEqualTo(Long.parseLong(reread.header("X-Mutexify-Index")));
        assertThat(patched.json().path("version").asLong()).isEqualTo(reread.json().path("version").asLong());

        // So a client watching from its own change's index is not woken by that change...
        String index = patched.header("X-Mutexify-Index");
        CompletableFuture<TestHttp.Res> watch = CompletableFuture.supplyAsync(
                () -> http.get("/api/v1/slots/indexed?index=" + index + "&wait=10s"), pool);
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> !watch.isDone());
        // ...only by the next one.
        ok(http.patch("/api/v1/slots/indexed", "{\"description\":\"next\"}"), 200);
        JsonNode next = ok(watch.get(5, TimeUnit.SECONDS), 200);
        assertThat(next.path("description").asText()).isEqualTo("next");

        // A retry with the same key replays the stored reply, index included.
        TestHttp.Res first = http.send("PATCH", "/api/v1/slots/indexed", "{\"name\":\"Again\"}", "Idempotency-Key", "p-1");
        TestHttp.Res again = http.send("PATCH", "/api/v1/slots/indexed", "{\"name\":\"Again\"}", "Idempotency-Key", "p-1");
        assertThat(again.header("X-Mutexify-Index")).isEqualTo(first.header("X-Mutexify-Index"))
                .isEqualTo(http.get("/api/v1/slots/indexed").header("X-Mutexify-Index"));
        assertThat(again.json()).isEqualTo(first.json());
    }

    @Test
    void aSlotWatchEndsWithA404WhenTheSlotIsDeleted() throws Exception {
        ok(http.post("/api/v1/slots", "{\"id\":\"doomed\"}"), 201);
        String index = http.get("/api/v1/slots/doomed").header("X-Mutexify-Index");
        CompletableFuture<TestHttp.Res> watch = CompletableFuture.supplyAsync(
                () -> http.get("/api/v1/slots/doomed?index=" + index + "&wait=10s"), pool);
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> !watch.isDone());
        assertThat(http.delete("/api/v1/slots/doomed").status()).isEqualTo(204);
        error(watch.get(5, TimeUnit.SECONDS), 404, "slot_not_found");
    }

    @Test
    void aSlotWatchWithoutChangeAnswersAtTheEndOfItsWait() {
        ok(http.post("/api/v1/slots", "{\"id\":\"quiet\"}"), 201);
        TestHttp.Res before = http.get("/api/v1/slots/quiet");
        String index = before.header("X-Mutexify-Index");

        long started = System.nanoTime();
        TestHttp.Res same = http.get("/api/v1/slots/quiet?index=" + index + "&wait=1s");
        long elapsedMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertThat(ok(same, 200).path("state").asText()).isEqualTo("free");
        assertThat(same.header("X-Mutexify-Index")).isEqualTo(index);
        assertThat(elapsedMs).isBetween(900L, 4_000L);
    }

    @Test
    void aListWatchReturnsPromptlyWhenAnySlotChangesAndAtTheEndOfItsWaitOtherwise() throws Exception {
        ok(http.post("/api/v1/slots", "{\"id\":\"one\"}"), 201);
        ok(http.post("/api/v1/slots", "{\"id\":\"two\"}"), 201);
        TestHttp.Res list = http.get("/api/v1/slots");
        long index = Long.parseLong(list.header("X-Mutexify-Index"));
        assertThat(ok(list, 200).path("index").asLong()).isEqualTo(index);
        assertThat(list.json().path("slots").findValuesAsText("id")).contains("one", "two");

        // No change: answers at about the wait, with the same index.
        long t0 = System.nanoTime();
        TestHttp.Res same = http.get("/api/v1/slots?index=" + index + "&wait=1s");
        long quietMs = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertThat(same.status()).isEqualTo(200);
        assertThat(Long.parseLong(same.header("X-Mutexify-Index"))).isEqualTo(index);
        assertThat(quietMs).isBetween(900L, 4_000L);

        // A change to any slot ends the watch at once.
        long started = System.nanoTime();
        CompletableFuture<TestHttp.Res> watch = CompletableFuture.supplyAsync(
                () -> http.get("/api/v1/slots?index=" + index + "&wait=10s"), pool);
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> !watch.isDone());
        ok(http.post("/api/v1/locks/two", "{\"owner\":\"someone\"}"), 200);
        TestHttp.Res changed = watch.get(5, TimeUnit.SECONDS);
        long elapsedMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        JsonNode body = ok(changed, 200);
        assertThat(elapsedMs).isLessThan(6_000);
        assertThat(Long.parseLong(changed.header("X-Mutexify-Index"))).isGreaterThan(index);
        assertThat(body.path("index").asLong()).isGreaterThan(index);
        assertThat(listed(body, "two").path("state").asText()).isEqualTo("held");
        assertThat(listed(body, "one").path("state").asText()).isEqualTo("free");
    }

    private static JsonNode listed(JsonNode list, String id) {
        List<JsonNode> matches = new ArrayList<>();
        list.path("slots").forEach(s -> {
            if (s.path("id").asText().equals(id)) {
                matches.add(s);
            }
        });
        assertThat(matches).as("slot %s in the list %s", id, list).hasSize(1);
        return matches.get(0);
    }
}
