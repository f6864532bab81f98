package io.mutexify.embedded.it;

import static io.mutexify.embedded.it.ApiAssert.error;
import static io.mutexify.embedded.it.ApiAssert.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The lock lifecycle over real HTTP: acquire, conflict, status, extend, release, expiry, idempotent retries. */
class LockLifecycleHttpTest extends ServerPerTest {
    @Test
    void acquireConflictStatusExtendReleaseAndAcquireAgain() {
        JsonNode lock = ok(http.post("/api/v1/locks/ci-env-1",
                "{\"owner\":\"job-1\",\"timeout\":300,\"metadata\":\"pipeline 88\"}"), 200);
        String token = lock.path("token").asText();
        assertThat(token).isNotBlank();
        assertThat(lock.path("fence").asLong()).isEqualTo(1);
        assertThat(lock.path("resource").asText()).isEqualTo("ci-env-1");
        assertThat(lock.path("owner").asText()).isEqualTo("job-1");
        assertThat(lock.path("principal").asText()).isEqualTo("anonymous");
        assertThat(lock.path("timeout").asInt()).isEqualTo(300);
        assertThat(lock.path("metadata").isArray()).isTrue();
        assertThat(lock.path("metadata").get(0).asText()).isEqualTo("pipeline 88");
        Instant createdAt = Instant.parse(lock.path("createdAt").asText());
        Instant expireAt = Instant.parse(lock.path("expireAt").asText());
        assertThat(expireAt).isEqualTo(createdAt.plusSeconds(300));

        // Someone else: 409 naming the holder and until when.
        JsonNode conflict = error(http.post("/api/v1/locks/ci-env-1", "{\"owner\":\"job-2\"}"), 409, "locked");
        assertThat(conflict.path("holder").asText()).isEqualTo("job-1");
        assertThat(Instant.parse(conflict.path("expireAt").asText())).isEqualTo(expireAt);
        assertThat(conflict.path("fence").asLong()).isEqualTo(1);
        assertThat(conflict.toString()).doesNotContain(token);

        // The public view: who holds it, without the token.
        JsonNode status = ok(http.get("/api/v1/locks/ci-env-1"), 200);
        assertThat(status.path("owner").asText()).isEqualTo("job-1");
        assertThat(status.path("fence").asLong()).isEqualTo(1);
        assertThat(status.has("token")).isFalse();
        assertThat(status.toString()).doesNotContain(token);

        // The holder's view, by token.
        JsonNode mine = ok(http.get("/api/v1/locks/ci-env-1/" + token), 200);
        assertThat(mine.path("token").asText()).isEqualTo(token);
        assertThat(mine.path("fence").asLong()).isEqualTo(1);

        // Extend: a later expireAt, the same token and fence.
        JsonNode extended = ok(http.put("/api/v1/locks/ci-env-1/" + token, "{\"timeout\":600}"), 200);
        assertThat(extended.path("token").asText()).isEqualTo(token);
        assertThat(extended.path("fence").asLong()).isEqualTo(1);
        assertThat(extended.path("timeout").asInt()).isEqualTo(600);
        Instant extendedTo = Instant.parse(extended.path("expireAt").asText());
        assertThat(extendedTo).isAfter(expireAt);
        assertThat(extendedTo).isEqualTo(Instant.parse(extended.path("updatedAt").asText()).plusSeconds(600));

        // An extend that would end the lock earlier than now planned: 409, and nothing changes.
        error(http.put("/api/v1/locks/ci-env-1/" + token, "{\"timeout\":10}"), 409, "would_shorten");
        JsonNode after = ok(http.get("/api/v1/locks/ci-env-1/" + token), 200);
        assertThat(Instant.parse(after.path("expireAt").asText())).isEqualTo(extendedTo);

        // Release; then the slot is free and the token is worthless.
        TestHttp.Res released = http.delete("/api/v1/locks/ci-env-1/" + token);
        assertThat(released.status()).isEqualTo(204);
        assertThat(released.raw().body()).isEmpty();
        error(http.get("/api/v1/locks/ci-env-1"), 404, "not_held");
        error(http.get("/api/v1/locks/ci-env-1/" + token), 404, "lock_not_found");
        error(http.delete("/api/v1/locks/ci-env-1/" + token), 404, "lock_not_found");
        error(http.put("/api/v1/locks/ci-env-1/" + token, "{\"timeout\":600}"), 404, "lock_not_found");

        // A new grant has a higher fence and another token.
        JsonNode again = ok(http.post("/api/v1/locks/ci-env-1", "{\"owner\":\"job-2\"}"), 200);
        assertThat(again.path("fence").asLong()).isEqualTo(2);
        assertThat(again.path("token").asText()).isNotEqualTo(token);
        assertThat(again.path("owner").asText()).isEqualTo("job-2");

        JsonNode history = ok(http.get("/api/v1/slots/ci-env-1/history"), 200);
        assertThat(history.path("current").path("fence").asLong()).isEqualTo(2);
        assertThat(history.path("current").has("token")).isFalse();
        assertThat(history.path("history")).hasSize(1);
        assertThat(history.path("history").get(0).path("fence").asLong()).isEqualTo(1);
        assertThat(history.path("history").get(0).path("ended").asText()).isEqualTo("released");
        assertThat(history.path("history").get(0).path("owner").asText()).isEqualTo("job-1");
    }

    @Test
    void aShortLockIsFreeAfterItsTimeoutAndItsExpiryIsInTheHistory() {
        long sent = System.nanoTime();
        JsonNode lock = ok(http.post("/api/v1/locks/short", "{\"owner\":\"quick\",\"timeout\":2}"), 200);
        Instant expireAt = Instant.parse(lock.path("expireAt").asText());
        assertThat(expireAt).isEqualTo(Instant.parse(lock.path("createdAt").asText()).plusSeconds(2));
        error(http.post("/api/v1/locks/short", "{\"owner\":\"next\"}"), 409, "locked");

        // Someone else gets it as soon as it is free: after the timeout, not before.
        AtomicReference<JsonNode> taken = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            TestHttp.Res r = http.post("/api/v1/locks/short", "{\"owner\":\"next\",\"timeout\":60}");
            if (r.status() == 409) {
                error(r, 409, "locked");
                return false;
            }
            taken.set(ok(r, 200));
            return true;
        });
        long elapsedMs = Duration.ofNanos(System.nanoTime() - sent).toMillis();
        assertThat(elapsedMs).as("the 2 s lock was free only after its timeout").isGreaterThanOrEqualTo(1_900);
        assertThat(taken.get().path("owner").asText()).isEqualTo("next");
        assertThat(taken.get().path("fence").asLong()).isEqualTo(2);

        JsonNode history = ok(http.get("/api/v1/slots/short/history"), 200);
        assertThat(history.path("history")).hasSize(1);
        JsonNode ended = history.path("history").get(0);
        assertThat(ended.path("ended").asText()).isEqualTo("expired");
        assertThat(ended.path("fence").asLong()).isEqualTo(1);
        assertThat(ended.path("owner").asText()).isEqualTo("quick");
        assertThat(Instant.parse(ended.path("endedAt").asText())).isEqualTo(expireAt);
    }

    @Test
    void anExpiredLockShowsInTheHistoryWithoutAnyoneTouchingTheSlot() {
        JsonNode lock = ok(http.post("/api/v1/locks/left-alone", "{\"owner\":\"quick\",\"timeout\":1}"), 200);
        // Only the scheduled expiry can write this entry: nobody else calls the slot meanwhile.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() ->
                ok(http.get("/api/v1/slots/left-alone/history"), 200).path("history").size() == 1);
        JsonNode history = ok(http.get("/api/v1/slots/left-alone/history"), 200);
        assertThat(history.path("current").isNull()).isTrue();
        JsonNode ended = history.path("history").get(0);
        assertThat(ended.path("ended").asText()).isEqualTo("expired");
        assertThat(ended.path("fence").asLong()).isEqualTo(lock.path("fence").asLong());
        assertThat(ended.path("endedBy").asText()).isEqualTo("system");
        JsonNode slot = ok(http.get("/api/v1/slots/left-alone"), 200);
        assertThat(slot.path("state").asText()).isEqualTo("free");
        error(http.get("/api/v1/locks/left-alone"), 404, "not_held");
    }

    @Test
    void aRepeatedAcquireWithTheSameIdempotencyKeyReturnsTheSameLockAndTakesNoSecondOne() {
        String body = "{\"owner\":\"job-7\",\"timeout\":300}";
        JsonNode first = ok(http.send("POST", "/api/v1/locks/idem", body, "Idempotency-Key", "job-7-acquire"), 200);
        TestHttp.Res slotBefore = http.get("/api/v1/slots/idem");
        String indexBefore = slotBefore.header("X-Mutexify-Index");

        JsonNode retry = ok(http.send("POST", "/api/v1/locks/idem", body, "Idempotency-Key", "job-7-acquire"), 200);
        assertThat(retry).isEqualTo(first);

        // Nothing changed: same fence, same version, no history, the same holder.
        TestHttp.Res slotAfter = http.get("/api/v1/slots/idem");
        assertThat(slotAfter.header("X-Mutexify-Index")).isEqualTo(indexBefore);
        assertThat(slotAfter.json().path("fence").asLong()).isEqualTo(first.path("fence").asLong());
        assertThat(ok(http.get("/api/v1/slots/idem/history"), 200).path("history")).isEmpty();

        // Another key is another request: refused, since the lock is held.
        JsonNode other = error(http.send("POST", "/api/v1/locks/idem", body, "Idempotency-Key", "job-7-other"),
                409, "locked");
        assertThat(other.path("holder").asText()).isEqualTo("job-7");

        // Even after a release, the old key still answers the stored grant and takes nothing.
        assertThat(http.delete("/api/v1/locks/idem/" + first.path("token").asText()).status()).isEqualTo(204);
        JsonNode late = ok(http.send("POST", "/api/v1/locks/idem", body, "Idempotency-Key", "job-7-acquire"), 200);
        assertThat(late).isEqualTo(first);
        error(http.get("/api/v1/locks/idem"), 404, "not_held");
        JsonNode slot = ok(http.get("/api/v1/slots/idem"), 200);
        assertThat(slot.path("fence").asLong()).isEqualTo(first.path("fence").asLong());
        assertThat(slot.path("state").asText()).isEqualTo("free");
        List<String> ends = new ArrayList<>();
        ok(http.get("/api/v1/slots/idem/history"), 200).path("history").forEach(h -> ends.add(h.path("ended").asText()));
        assertThat(ends).containsExactly("released");
    }

    @Test
    void aRetriedReleaseWithTheSameKeyAnswersTheSame204() {
        JsonNode lock = ok(http.post("/api/v1/locks/idem-release", "{\"timeout\":300}"), 200);
        String path = "/api/v1/locks/idem-release/" + lock.path("token").asText();
        assertThat(http.send("DELETE", path, null, "Idempotency-Key", "rel-1").status()).isEqualTo(204);
        assertThat(http.send("DELETE", path, null, "Idempotency-Key", "rel-1").status()).isEqualTo(204);
        // Without the key it is a new request, and the token no longer holds anything.
        error(http.delete(path), 404, "lock_not_found");
    }
}
