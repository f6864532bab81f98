package io.mutexify.azure.functions.frontface;

import static io.mutexify.azure.functions.frontface.WiredAzure.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The whole Azure shape in one JVM ({@link WiredAzure}): a signed-in caller's acquire travels from
 * the Frontface HTTP function through the request queue's session to the Lockkeeper function and
 * Cosmos DB, and its reply back to the HTTP response.
 */
class WiredAzureTest extends WithWiredAzure {
    private FakeRequest.Response acquire(String slot, String body, String key) {
        return key == null ? azure.call("POST", "/api/v1/locks/" + slot, body, alice)
                : azure.call("POST", "/api/v1/locks/" + slot, body, alice, "Idempotency-Key", key);
    }

    @Test
    void acquireConflictReleaseAndARetryThatReturnsTheFirstGrant() {
        FakeRequest.Response first = acquire("wired-1", "{\"owner\":\"job-a\",\"timeout\":60}", "job-a-1");
        assertThat(first.getStatusCode()).as(first.text()).isEqualTo(200);
        JsonNode lock = json(first);
        assertThat(lock.path("fence").asLong()).isEqualTo(1);
        assertThat(lock.path("principal").asText()).isEqualTo("alice@example.com");
        String token = lock.path("token").asText();

        FakeRequest.Response status = azure.call("GET", "/api/v1/locks/wired-1", null, alice);
        assertThat(status.getStatusCode()).isEqualTo(200);
        assertThat(json(status).path("owner").asText()).isEqualTo("job-a");
        assertThat(json(status).has("token")).isFalse();

        FakeRequest.Response other = acquire("wired-1", "{\"owner\":\"job-b\",\"timeout\":60}", null);
        assertThat(other.getStatusCode()).as(other.text()).isEqualTo(409);

        long started = System.nanoTime();
        FakeRequest.Response retry = acquire("wired-1", "{\"owner\":\"job-a\",\"timeout\":60}", "job-a-1");
        assertThat(retry.getStatusCode()).isEqualTo(200);
        assertThat(json(retry).path("token").asText()).isEqualTo(token);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered from the store, not after the 202 timeout")
                .isLessThan(Duration.ofSeconds(10));

        FakeRequest.Response release = azure.call("DELETE", "/api/v1/locks/wired-1/" + token, null, alice);
        assertThat(release.getStatusCode()).as(release.text()).isEqualTo(204);
        FakeRequest.Response free = azure.call("GET", "/api/v1/locks/wired-1", null, alice);
        assertThat(free.getStatusCode()).isEqualTo(404);
    }

    @Test
    void aScheduledExpiryHandsTheSlotToTheWaiter() {
        FakeRequest.Response holder = acquire("wired-2", "{\"owner\":\"job-c\",\"timeout\":1}", null);
        assertThat(holder.getStatusCode()).as(holder.text()).isEqualTo(200);
        long fence = json(holder).path("fence").asLong();

        FakeRequest.Response waiter = acquire("wired-2", "{\"owner\":\"job-d\",\"timeout\":30,\"wait\":10}", null);
        assertThat(waiter.getStatusCode()).as(waiter.text()).isEqualTo(200);
        assertThat(json(waiter).path("owner").asText()).isEqualTo("job-d");
        assertThat(json(waiter).path("fence").asLong()).isEqualTo(fence + 1);
        assertThat(azure.bus.deadLetterCount()).isZero();
    }
}
