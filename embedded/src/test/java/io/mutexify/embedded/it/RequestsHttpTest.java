package io.mutexify.embedded.it;

import static io.mutexify.embedded.it.ApiAssert.error;
import static io.mutexify.embedded.it.ApiAssert.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Calls whose reply takes longer than the reply timeout (100 ms, the least allowed): they answer
 * 202 with a {@code Location} under {@code /api/v1/requests/}, which answers 202 until the reply exists.
 *
 * <p>To make the Lockkeeper slow on purpose, the test takes SQLite's write lock on the server's
 * database file from a connection of its own: the Lockkeeper's commit then waits (busy timeout),
 * and no reply can be sent before the commit. Readers are not blocked (WAL), so the API still reads.
 */
class RequestsHttpTest extends ServerPerTest {
    @Override
    Map<String, String> serverSettings() {
        return Map.of("MUTEXIFY_REPLY_TIMEOUT_MS", "100");
    }

    @Test
    void aCallWhoseCommitIsHeldUpAnswers202AndItsRequestResourceAnswersOnceTheReplyExists() throws Exception {
        ok(settled(http.post("/api/v1/slots", "{\"id\":\"slow\"}")), 201);
        TestHttp.Res accepted;
        TestHttp.Res retried;
        AtomicReference<JsonNode> answer = new AtomicReference<>();
        try (Connection blocker = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("mutexify.db").toAbsolutePath());
             Statement st = blocker.createStatement()) {
            st.execute("PRAGMA busy_timeout = 10000");
            st.execute("BEGIN IMMEDIATE");
            try {
                long started = System.nanoTime();
                accepted = http.send("POST", "/api/v1/locks/slow", "{\"owner\":\"late\",\"timeout\":300}",
                        "Idempotency-Key", "late-1");
                long elapsedMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
                JsonNode pending = ok(accepted, 202);
                assertThat(elapsedMs).as("answered at the reply timeout, not when the commit happens").isLessThan(3_000);
                String location = accepted.header("Location");
                assertThat(location).startsWith("/api/v1/requests/");
                assertThat(pending.path("location").asText()).isEqualTo(location);
                assertThat(pending.path("status").asText()).isEqualTo("pending");
                assertThat(location).endsWith("/" + pending.path("requestId").asText());

                // Still pending: the request resource says so too.
                TestHttp.Res stillPending = http.get(location);
                assertThat(ok(stillPending, 202).path("requestId").asText()).isEqualTo(pending.path("requestId").asText());
                assertThat(stillPending.header("Location")).isEqualTo(location);

                // A retry with the same key is the same request: the same 202, no second command applied.
                retried = http.send("POST", "/api/v1/locks/slow", "{\"owner\":\"late\",\"timeout\":300}",
                        "Idempotency-Key", "late-1");
                assertThat(ok(retried, 202).path("requestId").asText()).isEqualTo(pending.path("requestId").asText());

                // Nothing is visible before the commit.
                error(http.get("/api/v1/locks/slow"), 404, "not_held");
            } finally {
                st.execute("ROLLBACK");
            }
        }

        String location = accepted.header("Location");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
            TestHttp.Res r = http.get(location);
            if (r.status() == 202) {
                return false;
            }
            answer.set(ok(r, 200));
            return true;
        });
        JsonNode lock = answer.get();
        assertThat(lock.path("owner").asText()).isEqualTo("late");
        assertThat(lock.path("fence").asLong()).isEqualTo(1);
        assertThat(lock.path("token").asText()).isNotBlank();
        // The request resource keeps answering the same reply, and so does a retry with the key.
        assertThat(ok(http.get(location), 200)).isEqualTo(lock);
        assertThat(ok(http.send("POST", "/api/v1/locks/slow", "{\"owner\":\"late\",\"timeout\":300}",
                "Idempotency-Key", "late-1"), 200)).isEqualTo(lock);
        // One grant only.
        assertThat(ok(http.get("/api/v1/locks/slow"), 200).path("fence").asLong()).isEqualTo(1);
        assertThat(ok(http.get("/api/v1/slots/slow"), 200).path("fence").asLong()).isEqualTo(1);
        assertThat(ok(http.get("/api/v1/locks/slow/" + lock.path("token").asText()), 200).path("owner").asText())
                .isEqualTo("late");
    }

    @Test
    void anAcquireThatWaitsIsGivenItsWaitPlusTheReplyTimeoutAndNoMore() {
        JsonNode holder = ok(settled(http.post("/api/v1/locks/held", "{\"owner\":\"holder\",\"timeout\":120}")), 200);

        long started = System.nanoTime();
        TestHttp.Res r = http.post("/api/v1/locks/held", "{\"owner\":\"waiter\",\"wait\":2}");
        long elapsedMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertThat(elapsedMs).as("it waited its 2 s").isGreaterThanOrEqualTo(1_900);
        assertThat(elapsedMs).as("and not much beyond wait + reply timeout").isLessThan(5_000);
        // Either the end of its wait (409) came within the reply timeout, or the call answered 202 first.
        assertThat(r.status()).isIn(409, 202);
        JsonNode refusal;
        if (r.status() == 202) {
            String location = r.header("Location");
            assertThat(location).startsWith("/api/v1/requests/");
            AtomicReference<TestHttp.Res> last = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                last.set(http.get(location));
                return last.get().status() != 202;
            });
            refusal = error(last.get(), 409, "locked");
        } else {
            refusal = error(r, 409, "locked");
        }
        assertThat(refusal.path("holder").asText()).isEqualTo("holder");
        assertThat(refusal.path("fence").asLong()).isEqualTo(holder.path("fence").asLong());
        assertThat(ok(http.get("/api/v1/locks/held"), 200).path("owner").asText()).isEqualTo("holder");
    }

    /**
     * Set-up calls run under the same 100 ms reply timeout, and a busy machine can exceed it: such
     * a call's 202 is followed to its final answer, so only the behaviour under test sees 202s.
     */
    private TestHttp.Res settled(TestHttp.Res r) {
        if (r.status() != 202) {
            return r;
        }
        String location = r.header("Location");
        AtomicReference<TestHttp.Res> last = new AtomicReference<>(r);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
            last.set(http.get(location));
            return last.get().status() != 202;
        });
        return last.get();
    }

    @Test
    void unknownAndMalformedRequestIdsAre404() {
        error(http.get("/api/v1/requests/r-" + UUID.randomUUID()), 404, "request_not_found");
        error(http.get("/api/v1/requests/k-" + "A".repeat(43)), 404, "request_not_found");
        error(http.get("/api/v1/requests/not-an-id"), 404, "request_not_found");
        error(http.get("/api/v1/requests/r-" + "a".repeat(100)), 404, "request_not_found");
        error(http.get("/api/v1/requests/r-%2e%2e"), 404, "request_not_found");
        error(http.get("/api/v1/requests/"), 404, "request_not_found");
    }
}
