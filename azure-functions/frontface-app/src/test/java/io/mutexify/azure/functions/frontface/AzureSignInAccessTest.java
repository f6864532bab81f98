package io.mutexify.azure.functions.frontface;

import static io.mutexify.azure.functions.frontface.WiredAzure.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.model.slot.SlotState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slot ACLs on Azure, through the Frontface functions and the Lockkeeper function over Cosmos DB:
 * a stranger cannot see someone else's slot (404, as if it did not exist) nor change it (403, and
 * nothing changes); and an {@code Idempotency-Key} belongs to its caller, so two people using the
 * same one on one slot get their own outcomes, never one shared grant.
 */
class AzureSignInAccessTest extends WithWiredAzure {
    private String bob;
    private String mallory;

    @BeforeAll
    void signInOthers() {
        bob = azure.googleToken("bob@example.com");
        mallory = azure.googleToken("mallory@example.com");
    }

    private static FakeRequest.Response ok(FakeRequest.Response r, int status) {
        assertThat(r.getStatusCode()).as(r.text()).isEqualTo(status);
        return r;
    }

    private static void refused(FakeRequest.Response r, int status, String error) {
        assertThat(r.getStatusCode()).as(r.text()).isEqualTo(status);
        assertThat(json(r).path("error").asText()).isEqualTo(error);
    }

    @Test
    void aStrangerSees404OnReadsAnd403OnChangesOfSomeoneElsesSlot() {
        JsonNode lock = json(ok(azure.call("POST", "/api/v1/locks/alices-slot", "{\"owner\":\"job-a\",\"timeout\":120}", alice,
                "Idempotency-Key", "alice-acquire-1"), 200));
        String token = lock.path("token").asText();
        String requestId = lock.path("id").asText();
        SlotState before = azure.frontStore.load("alices-slot");
        assertThat(before.config().owners()).containsExactly("alice@example.com");

        for (String path : new String[] {"/api/v1/slots/alices-slot", "/api/v1/slots/alices-slot/history",
                "/api/v1/locks/alices-slot", "/api/v1/locks/alices-slot/" + token, "/api/v1/requests/" + requestId}) {
            FakeRequest.Response hidden = azure.call("GET", path, null, mallory);
            assertThat(hidden.getStatusCode()).as(path + ": " + hidden.text()).isEqualTo(404);
            assertThat(hidden.text()).doesNotContain("alice@example.com").doesNotContain("job-a");
            ok(azure.call("GET", path, null, alice), 200);
        }
        assertThat(json(ok(azure.call("GET", "/api/v1/slots", null, mallory), 200)).path("slots").toString())
                .doesNotContain("alices-slot");

        refused(azure.call("PATCH", "/api/v1/slots/alices-slot", "{\"members\":[\"mallory@example.com\"]}", mallory), 403, "forbidden");
        refused(azure.call("POST", "/api/v1/slots/alices-slot/break", "{\"reason\":\"mine now\"}", mallory), 403, "forbidden");
        refused(azure.call("DELETE", "/api/v1/slots/alices-slot", null, mallory), 403, "forbidden");
        refused(azure.call("POST", "/api/v1/locks/alices-slot", "{\"timeout\":30}", mallory), 403, "forbidden");
        refused(azure.call("PUT", "/api/v1/locks/alices-slot/" + token, "{\"timeout\":600}", mallory), 403, "forbidden");
        refused(azure.call("DELETE", "/api/v1/locks/alices-slot/" + token, null, mallory), 403, "forbidden");

        SlotState after = azure.frontStore.load("alices-slot");
        assertThat(after.config()).isEqualTo(before.config());
        assertThat(after.hold()).isEqualTo(before.hold());
        assertThat(after.fence()).isEqualTo(before.fence());

        // A member added by the owner may then see it and take part.
        ok(azure.call("PATCH", "/api/v1/slots/alices-slot", "{\"members\":[\"bob@example.com\"]}", alice), 200);
        ok(azure.call("GET", "/api/v1/slots/alices-slot", null, bob), 200);
        assertThat(azure.call("GET", "/api/v1/slots/alices-slot", null, mallory).getStatusCode()).isEqualTo(404);
        ok(azure.call("DELETE", "/api/v1/locks/alices-slot/" + token, null, alice), 204);
    }

    @Test
    void twoPeopleWithTheSameIdempotencyKeyOnOneSlotGetTheirOwnOutcomes() {
        ok(azure.call("POST", "/api/v1/slots", "{\"id\":\"shared-slot\",\"members\":[\"bob@example.com\"]}", alice), 201);

        FakeRequest.Response alices = ok(azure.call("POST", "/api/v1/locks/shared-slot", "{\"owner\":\"alice-job\",\"timeout\":120}",
                alice, "Idempotency-Key", "deploy-42"), 200);
        FakeRequest.Response bobs = azure.call("POST", "/api/v1/locks/shared-slot", "{\"owner\":\"bob-job\",\"timeout\":120}",
                bob, "Idempotency-Key", "deploy-42");
        String aliceToken = json(alices).path("token").asText();
        assertThat(aliceToken).isNotBlank();
        assertThat(bobs.getStatusCode()).as("bob's own answer, not alice's stored grant: " + bobs.text()).isEqualTo(409);
        assertThat(bobs.text()).doesNotContain(aliceToken);
        assertThat(json(bobs).path("error").asText()).isEqualTo("locked");

        // Each retry is answered with its own caller's first answer.
        FakeRequest.Response aliceAgain = ok(azure.call("POST", "/api/v1/locks/shared-slot", "{\"owner\":\"alice-job\",\"timeout\":120}",
                alice, "Idempotency-Key", "deploy-42"), 200);
        assertThat(json(aliceAgain).path("token").asText()).isEqualTo(aliceToken);
        FakeRequest.Response bobAgain = azure.call("POST", "/api/v1/locks/shared-slot", "{\"owner\":\"bob-job\",\"timeout\":120}",
                bob, "Idempotency-Key", "deploy-42");
        assertThat(bobAgain.getStatusCode()).isEqualTo(409);
        assertThat(bobAgain.text()).doesNotContain(aliceToken);
        assertThat(azure.frontStore.load("shared-slot").fence()).as("one grant only").isEqualTo(1);

        // Once alice lets go, bob's new call (a new key) gets a grant of his own.
        ok(azure.call("DELETE", "/api/v1/locks/shared-slot/" + aliceToken, null, alice), 204);
        JsonNode bobsGrant = json(ok(azure.call("POST", "/api/v1/locks/shared-slot", "{\"owner\":\"bob-job\",\"timeout\":120}",
                bob, "Idempotency-Key", "deploy-43"), 200));
        assertThat(bobsGrant.path("principal").asText()).isEqualTo("bob@example.com");
        assertThat(bobsGrant.path("token").asText()).isNotEqualTo(aliceToken);
    }
}
