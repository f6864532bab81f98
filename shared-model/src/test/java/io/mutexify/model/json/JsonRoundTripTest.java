package io.mutexify.model.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.slot.Hold;
import io.mutexify.model.slot.LockView;
import io.mutexify.model.slot.SlotConfig;
import io.mutexify.model.slot.EndedWait;
import io.mutexify.model.slot.SlotState;
import io.mutexify.model.slot.SlotView;
import io.mutexify.model.slot.Waiter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stored slot documents and queued replies survive a trip through {@link Json}. */
class JsonRoundTripTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    /** Sub-millisecond precision, to prove no precision is lost. */
    private static final Instant PRECISE = Instant.parse("2025-03-01T12:00:05.123456789Z");

    private static SlotState fullState() {
        SlotConfig config = new SlotConfig("CI env", "the first one", List.of("alice"), List.of("bob", "carol"),
                60, 3600, T0, T0.plusSeconds(1));
        Hold hold = new Hold("r1", "runner-9", "bob", "tok-1", 42, 60, List.of("job=7", "sha=abc"),
                PRECISE, PRECISE, PRECISE.plusSeconds(60));
        Waiter waiter = new Waiter("w1", "carol", "carol", 30, List.of(), T0.plusSeconds(10), T0.plusSeconds(30));
        return new SlotState("ci-env-1", config, 42, hold, List.of(waiter), 9);
    }

    @Test
    void aFullSlotStateRoundTrips() {
        SlotState state = fullState();

        SlotState back = Json.read(Json.write(state), SlotState.class);

        assertThat(back).isEqualTo(state);
        assertThat(back.hold().createdAt()).isEqualTo(PRECISE);
    }

    @Test
    void anEmptyUnregisteredSlotStateRoundTrips() {
        SlotState state = SlotState.empty("free-slot");

        SlotState back = Json.read(Json.write(state), SlotState.class);

        assertThat(back).isEqualTo(state);
        assertThat(back.isRegistered()).isFalse();
        assertThat(back.waiters()).isEmpty();
    }

    @Test
    void aDeletedSlotKeepsItsFenceThroughTheStore() {
        SlotState deleted = new SlotState("gone", null, 17, null, List.of(), 3);

        assertThat(Json.read(Json.write(deleted), SlotState.class).fence()).isEqualTo(17);
    }

    @Test
    void slotStateIsWrittenAsItsComponentsOnlyWithIsoTimes() throws Exception {
        JsonNode node = Json.mapper().readTree(Json.write(fullState()));

        assertThat(fieldNames(node)).containsExactlyInAnyOrder("id", "config", "fence", "hold", "waiters", "version",
                "eventSeq", "endedWaits");
        assertThat(node.has("registered")).as("isRegistered() is a helper, not data").isFalse();
        assertThat(fieldNames(node.get("hold"))).containsExactlyInAnyOrder("id", "owner", "principal", "token",
                "fence", "timeout", "metadata", "createdAt", "updatedAt", "expireAt");
        assertThat(fieldNames(node.get("config"))).doesNotContain("owner", "member");
        assertThat(fieldNames(node.get("waiters").get(0))).doesNotContain("waitingAt");
        assertThat(node.get("hold").get("createdAt").isTextual()).isTrue();
        assertThat(node.get("hold").get("createdAt").asText()).isEqualTo("2025-03-01T12:00:05.123456789Z");
        assertThat(node.get("config").get("createdAt").asText()).isEqualTo("2025-03-01T12:00:00Z");
        assertThat(node.get("fence").asLong()).isEqualTo(42);
    }

    @Test
    void aLockReplyRoundTripsWithoutHelperFields() throws Exception {
        Reply reply = Reply.ok("r1", "ci-env-1", 200, LockView.forHolder("ci-env-1", fullState().hold()));

        String json = Json.write(reply);
        Reply back = Json.read(json, Reply.class);

        assertThat(back).isEqualTo(reply);
        JsonNode node = Json.mapper().readTree(json);
        assertThat(node.has("error")).as("isError() is a helper and error is null").isFalse();
        assertThat(node.has("message")).isFalse();
        assertThat(node.has("slot")).isFalse();
        assertThat(node.get("lock").get("token").asText()).isEqualTo("tok-1");
        assertThat(node.get("lock").get("expireAt").asText()).isEqualTo("2025-03-01T12:01:05.123456789Z");
    }

    @Test
    void aLockedErrorReplyWithThePublicViewRoundTrips() throws Exception {
        Reply reply = new Reply("r2", "ci-env-1", 409, "locked", "slot ci-env-1 is held by another",
                LockView.forPublic("ci-env-1", fullState().hold()), null);

        String json = Json.write(reply);

        assertThat(Json.read(json, Reply.class)).isEqualTo(reply);
        JsonNode node = Json.mapper().readTree(json);
        assertThat(node.get("error").asText()).isEqualTo("locked");
        assertThat(node.get("lock").has("token")).as("the public view has no token").isFalse();
    }

    @Test
    void aNoContentReplyRoundTrips() throws Exception {
        Reply reply = Reply.noContent("d1", "ci-env-1");

        String json = Json.write(reply);

        assertThat(Json.read(json, Reply.class)).isEqualTo(reply);
        assertThat(fieldNames(Json.mapper().readTree(json))).containsExactlyInAnyOrder("requestId", "slotId", "status");
    }

    @Test
    void aSlotReplyRoundTrips() {
        SlotState state = fullState();
        Reply reply = Reply.slot("c1", 201, SlotView.of(state, T0.plusSeconds(20)));

        Reply back = Json.read(Json.write(reply), Reply.class);

        assertThat(back).isEqualTo(reply);
        assertThat(back.slot().waiters()).hasSize(1);
        assertThat(back.slot().lock().token()).isNull();
    }

    @Test
    void unknownFieldsFromANewerWriterAreIgnored() {
        String json = Json.write(SlotState.empty("s")).replaceFirst("\\{", "{\"addedLater\":true,");

        assertThat(Json.read(json, SlotState.class)).isEqualTo(SlotState.empty("s"));
    }

    @Test
    void aStateStoredBeforeEventCountsAndEndedWaitsReadsWithNone() {
        String json = "{\"id\":\"old\",\"config\":null,\"fence\":4,\"hold\":null,\"waiters\":[],\"version\":2}";

        SlotState back = Json.read(json, SlotState.class);

        assertThat(back).isEqualTo(new SlotState("old", null, 4, null, List.of(), 2));
        assertThat(back.eventSeq()).isZero();
        assertThat(back.endedWaits()).isEmpty();
    }

    @Test
    void endedWaitsRoundTrip() {
        SlotState state = fullState().withEventSeq(12).withEndedWaits(List.of(
                new EndedWait("w9", 409, "locked", "the lock was not free before the wait ended", null,
                        Instant.parse("2025-03-01T12:00:30Z"))));

        assertThat(Json.read(Json.write(state), SlotState.class)).isEqualTo(state);
    }

    @Test
    void aLongWaitersPollDeadlineRoundTripsAndAOneCallWaiterWritesNone() throws Exception {
        Waiter longWait = new Waiter("w2", "dave", "dave", 30, List.of(), T0, T0.plusSeconds(7200), null,
                PRECISE.plusSeconds(100), PRECISE.plusSeconds(90));
        SlotState state = fullState().withWaiters(List.of(fullState().waiters().get(0), longWait));

        assertThat(Json.read(Json.write(state), SlotState.class)).isEqualTo(state);
        JsonNode waiters = Json.mapper().readTree(Json.write(state)).get("waiters");
        assertThat(fieldNames(waiters.get(0))).doesNotContain("pollBy", "pollCheckAt", "longWait", "unpolledAt");
        assertThat(fieldNames(waiters.get(1))).contains("pollBy", "pollCheckAt").doesNotContain("longWait");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
