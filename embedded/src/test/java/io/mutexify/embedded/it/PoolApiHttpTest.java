package io.mutexify.embedded.it;

import static io.mutexify.embedded.it.ApiAssert.error;
import static io.mutexify.embedded.it.ApiAssert.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pools over real HTTP: slot bodies with capacity, units and lockDelay, grants naming units, lock-delay, break. */
class PoolApiHttpTest extends ServerPerTest {
    @Test
    void aPoolListsEveryHoldAndGrantsTheUnitAskedFor() {
        JsonNode created = ok(http.post("/api/v1/slots", "{\"id\":\"envs\",\"units\":[\"e1\",\"e2\",\"e3\"]}"), 201);
        assertThat(created.path("capacity").asInt()).isEqualTo(3);
        assertThat(created.path("units")).hasSize(3);
        assertThat(created.path("lockDelay").asInt()).isZero();

        JsonNode any = ok(http.post("/api/v1/locks/envs", "{\"owner\":\"job-1\"}"), 200);
        JsonNode third = ok(http.post("/api/v1/locks/envs", "{\"owner\":\"job-2\",\"unit\":\"e3\"}"), 200);
        assertThat(any.path("unit").asText()).isEqualTo("e1");
        assertThat(third.path("unit").asText()).isEqualTo("e3");
        assertThat(third.path("fence").asLong()).isEqualTo(any.path("fence").asLong() + 1);
        JsonNode own = ok(http.get("/api/v1/locks/envs/" + third.path("token").asText()), 200);
        assertThat(own.path("unit").asText()).as("each holder sees its own hold by token").isEqualTo("e3");
        JsonNode extended = ok(http.put("/api/v1/locks/envs/" + third.path("token").asText(), "{\"timeout\":120}"), 200);
        assertThat(extended.path("unit").asText()).isEqualTo("e3");

        JsonNode taken = error(http.post("/api/v1/locks/envs", "{\"unit\":\"e3\"}"), 409, "locked");
        assertThat(taken.path("lock").path("owner").asText()).isEqualTo("job-2");
        error(http.post("/api/v1/locks/envs", "{\"unit\":\"e9\"}"), 400, "unknown_unit");

        JsonNode view = ok(http.get("/api/v1/slots/envs"), 200);
        assertThat(view.path("state").asText()).isEqualTo("held");
        assertThat(view.path("holds").findValuesAsText("unit")).containsExactly("e1", "e3");
        assertThat(view.path("holds").findValues("token")).as("tokens stay private").isEmpty();
        assertThat(view.path("lock").path("unit").asText()).as("the first hold, as before pools").isEqualTo("e1");
        assertThat(view.path("available").asInt()).isEqualTo(1);

        JsonNode broken = ok(http.post("/api/v1/slots/envs/break", "{\"unit\":\"e3\",\"reason\":\"stuck\"}"), 200);
        assertThat(broken.path("owner").asText()).isEqualTo("job-2");
        ok(http.send("DELETE", "/api/v1/locks/envs/" + any.path("token").asText(), null), 204);
        JsonNode history = ok(http.get("/api/v1/slots/envs/history"), 200);
        assertThat(history.path("history").findValuesAsText("unit")).containsExactly("e1", "e3");
        assertThat(history.path("holds")).isEmpty();
    }

    @Test
    void badPoolFieldsAreRefusedAndChangeNothing() {
        ok(http.post("/api/v1/slots", "{\"id\":\"p\",\"capacity\":2}"), 201);
        error(http.post("/api/v1/slots", "{\"id\":\"q\",\"capacity\":0}"), 400, "invalid_capacity");
        error(http.post("/api/v1/slots", "{\"id\":\"q\",\"capacity\":65}"), 400, "invalid_capacity");
        error(http.post("/api/v1/slots", "{\"id\":\"q\",\"lockDelay\":-1}"), 400, "invalid_lockDelay");
        error(http.post("/api/v1/slots", "{\"id\":\"q\",\"units\":\"e1\"}"), 400, "invalid_units");
        error(http.post("/api/v1/slots", "{\"id\":\"q\",\"units\":[\"a b\"]}"), 400, "invalid_slot");
        error(http.patch("/api/v1/slots/p", "{\"units\":[\"a\",\"b\"],\"capacity\":3}"), 400, "invalid_slot");
        error(http.post("/api/v1/slots/p/break", "{\"unit\":7}"), 400, "invalid_unit");
        assertThat(ok(http.get("/api/v1/slots/p"), 200).path("capacity").asInt()).isEqualTo(2);
        error(http.get("/api/v1/slots/q"), 404, "slot_not_found");
    }

    @Test
    void loweringCapacityKeepsLiveHolds() {
        ok(http.post("/api/v1/slots", "{\"id\":\"p\",\"capacity\":2}"), 201);
        JsonNode a = ok(http.post("/api/v1/locks/p", "{}"), 200);
        ok(http.post("/api/v1/locks/p", "{}"), 200);
        JsonNode lowered = ok(http.patch("/api/v1/slots/p", "{\"capacity\":1}"), 200);
        assertThat(lowered.path("holds")).hasSize(2);
        ok(http.send("DELETE", "/api/v1/locks/p/" + a.path("token").asText(), null), 204);
        error(http.post("/api/v1/locks/p", "{}"), 409, "locked");
    }

    /** An expired hold keeps its unit ungranted for lockDelay seconds; a release hands over at once. */
    @Test
    void lockDelayHoldsBackAnExpiredUnitButNotAReleasedOne() throws Exception {
        ok(http.post("/api/v1/slots", "{\"id\":\"d\",\"capacity\":1,\"lockDelay\":2}"), 201);

        JsonNode released = ok(http.post("/api/v1/locks/d", "{\"timeout\":30}"), 200);
        CompletableFuture<TestHttp.Res> next = CompletableFuture.supplyAsync(
                () -> http.post("/api/v1/locks/d", "{\"timeout\":1,\"wait\":20}"));
        awaitWaiting("d");
        Instant releasedAt = Instant.now();
        ok(http.send("DELETE", "/api/v1/locks/d/" + released.path("token").asText(), null), 204);
        JsonNode handedOver = ok(next.get(20, TimeUnit.SECONDS), 200);
        Duration handover = Duration.between(releasedAt, Instant.parse(handedOver.path("createdAt").asText()));
        assertThat(handover).as("a release hands over at once").isLessThan(Duration.ofMillis(1500));

        // handedOver expires after 1 s; the next waiter gets the slot only 2 s after that.
        CompletableFuture<TestHttp.Res> afterExpiry = CompletableFuture.supplyAsync(
                () -> http.post("/api/v1/locks/d", "{\"timeout\":30,\"wait\":20}"));
        JsonNode granted = ok(afterExpiry.get(20, TimeUnit.SECONDS), 200);
        Instant expiredAt = Instant.parse(handedOver.path("expireAt").asText());
        Duration gap = Duration.between(expiredAt, Instant.parse(granted.path("createdAt").asText()));
        assertThat(gap).as("lock-delay after an expiry").isBetween(Duration.ofSeconds(2), Duration.ofSeconds(5));

        JsonNode history = ok(http.get("/api/v1/slots/d/history"), 200).path("history");
        assertThat(history.findValuesAsText("ended")).containsExactly("expired", "released");
    }

    @Test
    void duringALockDelayAnAcquireIsToldWhy() {
        ok(http.post("/api/v1/slots", "{\"id\":\"d\",\"units\":[\"only\"],\"lockDelay\":30}"), 201);
        ok(http.post("/api/v1/locks/d", "{}"), 200);
        ok(http.post("/api/v1/slots/d/break", "{}"), 200);
        JsonNode refused = error(http.post("/api/v1/locks/d", "{}"), 409, "locked");
        assertThat(refused.path("message").asText()).contains("lock-delay");
        assertThat(ok(http.get("/api/v1/slots/d"), 200).path("available").asInt()).isZero();
    }

    private void awaitWaiting(String slot) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (http.get("/api/v1/slots/" + slot).json().path("waiting").asInt() == 0) {
            assertThat(System.nanoTime()).as("a waiter joined the line").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
