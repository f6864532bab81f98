package io.mutexify.azure.functions.frontface;

import static io.mutexify.azure.functions.frontface.WiredAzure.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A pool on the Azure shape ({@link WiredAzure}): the same pool commands travel the slot's session
 * to the Lockkeeper function and Cosmos DB; grants name their units, and the lock-delay after an
 * expiry runs as a scheduled message like any other timer.
 */
class WiredAzurePoolTest extends WithWiredAzure {
    @Test
    void aPoolGrantsUnitsAndHoldsAnExpiredUnitBackForItsLockDelay() {
        FakeRequest.Response created = azure.call("POST", "/api/v1/slots",
                "{\"id\":\"wired-pool\",\"units\":[\"env-1\",\"env-2\"],\"lockDelay\":2}", alice);
        assertThat(created.getStatusCode()).as(created.text()).isEqualTo(201);
        assertThat(json(created).path("capacity").asInt()).isEqualTo(2);

        JsonNode first = json(azure.call("POST", "/api/v1/locks/wired-pool", "{\"owner\":\"job-1\",\"timeout\":1}", alice));
        JsonNode second = json(azure.call("POST", "/api/v1/locks/wired-pool", "{\"owner\":\"job-2\",\"timeout\":60}", alice));
        assertThat(first.path("unit").asText()).isEqualTo("env-1");
        assertThat(second.path("unit").asText()).isEqualTo("env-2");

        JsonNode view = json(azure.call("GET", "/api/v1/slots/wired-pool", null, alice));
        assertThat(view.path("holds").findValuesAsText("unit")).containsExactly("env-1", "env-2");

        // env-1 expires after 1 s, then stays ungranted for 2 s more: the waiter gets it only then.
        FakeRequest.Response waited = azure.call("POST", "/api/v1/locks/wired-pool",
                "{\"owner\":\"job-3\",\"timeout\":60,\"wait\":20}", alice);
        assertThat(waited.getStatusCode()).as(waited.text()).isEqualTo(200);
        JsonNode third = json(waited);
        assertThat(third.path("unit").asText()).isEqualTo("env-1");
        Duration gap = Duration.between(Instant.parse(first.path("expireAt").asText()),
                Instant.parse(third.path("createdAt").asText()));
        assertThat(gap).isGreaterThanOrEqualTo(Duration.ofSeconds(2));

        JsonNode history = json(azure.call("GET", "/api/v1/slots/wired-pool/history", null, alice));
        assertThat(history.path("history").get(0).path("unit").asText()).isEqualTo("env-1");
        assertThat(history.path("history").get(0).path("ended").asText()).isEqualTo("expired");
        assertThat(azure.bus.deadLetters).isEmpty();
    }
}
