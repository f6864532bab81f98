package io.mutexify.azure.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.cosmos.CosmosAsyncContainer;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mutexify.model.event.EventType;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.json.Json;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.OutboxEntry;
import io.mutexify.model.port.SlotWrite;
import io.mutexify.model.slot.SlotConfig;
import io.mutexify.model.slot.SlotState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store on a container with TTL (what infra/ deploys): replies, request pointers and delivered
 * outbox documents carry a {@code ttl}, prune lists nothing, the floor is raised above delivered
 * documents before they may expire, and a hole in the outbox log (a failed append) is filled so
 * readers moving forward by point reads never stall. The test server keeps expired documents, so
 * what is checked is what Cosmos DB acts on: the {@code ttl} fields and the floor.
 */
@ExtendWith(CosmosTestServer.class)
class CosmosExpiryTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private final CosmosSettings settings = CosmosTestServer.get().freshSettings();
    private final List<CosmosSlotStore> opened = new ArrayList<>();

    private CosmosSlotStore open(CosmosSlotStore.Tuning tuning) {
        CosmosSlotStore s = CosmosSlotStore.open(CosmosTestServer.get().client(), settings, false,
                tuning.withExpiresByTtl(true));
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(CosmosSlotStore::close);
    }

    private CosmosAsyncContainer container() {
        return CosmosTestServer.get().client().getDatabase(settings.database()).getContainer(settings.container());
    }

    private ObjectNode raw(String pk, String id) {
        return container().readItem(id, new PartitionKey(pk), ObjectNode.class).block().getItem();
    }

    @Test
    void repliesAndPointersExpireAfterTheReplyTtlAndPruneListsNothing() {
        CosmosSlotStore s = open(CosmosSlotStore.Tuning.defaults().withReplyTtl(Duration.ofHours(3)));
        Reply reply = Reply.error("req-1", "x", 404, "not_held", "slot x is not held");
        s.commit(new SlotWrite("x", 0, registered("x"), List.of(reply), List.of(), List.of(), T0));

        assertThat(raw("x", Keys.replyDoc("req-1")).path("ttl").asInt()).isEqualTo(3 * 3600);
        assertThat(raw(Keys.requestPartition("req-1"), "req-1").path("ttl").asInt()).isEqualTo(3 * 3600);
        assertThat(raw("x", Keys.SLOT_DOC).has("ttl")).as("slots never expire").isFalse();
        assertThat(s.prune(Instant.now().plusSeconds(86_400), List.of())).isZero();
        assertThat(s.findReply("req-1")).contains(reply);
    }

    @Test
    void deliveredLogDocumentsGetATtlOnlyAfterTheFloorIsAboveThem() {
        CosmosSlotStore s = open(CosmosSlotStore.Tuning.defaults());
        for (int i = 0; i < 40; i++) {
            s.commit(new SlotWrite("y", i, registered("y"), List.of(), List.of(event("e" + i, "y")), List.of(), T0));
        }
        List<OutboxEntry> all = s.outboxAfter(0, 100);
        assertThat(all).hasSize(40);
        s.saveCursor("relay", all.get(all.size() - 1).seq());

        long floor = raw(Keys.OUTBOX, OutboxLog.FLOOR_DOC).path("n").asLong();
        assertThat(floor).isEqualTo(40);
        for (long n = 1; n <= 40; n++) {
            assertThat(raw(Keys.OUTBOX, Keys.logDoc(n)).path("ttl").asLong()).as("log:" + n)
                    .isEqualTo(OutboxLog.DELIVERED_TTL.toSeconds());
        }
        // A new event still follows the cursor.
        s.commit(new SlotWrite("y", 40, registered("y"), List.of(), List.of(event("e40", "y")), List.of(), T0));
        assertThat(s.outboxAfter(all.get(all.size() - 1).seq(), 10)).extracting(e -> e.event().id())
                .containsExactly("e40");
    }

    @Test
    void aHoleLeftByAFailedAppendIsFilledAndReadersMoveOn() throws Exception {
        CosmosSlotStore writer = open(CosmosSlotStore.Tuning.defaults());
        CosmosSlotStore reader = open(CosmosSlotStore.Tuning.defaults().withHoleGrace(Duration.ofMillis(200)));
        writer.commit(new SlotWrite("z", 0, registered("z"), List.of(), List.of(event("z0", "z")), List.of(), T0));
        long first = reader.outboxAfter(0, 10).get(0).seq();
        // Number 2 was taken by an append that never landed; number 3 by another publisher.
        Docs.LogDoc third = new Docs.LogDoc(Keys.logDoc(3), Keys.OUTBOX, "log", 3, "w", 1, 0,
                List.of(event("w0", "w")), T0, "other", null);
        container().createItem(Json.mapper().valueToTree(third), new PartitionKey(Keys.OUTBOX), null).block();

        assertThat(reader.outboxAfter(first, 10)).as("within the grace the hole may still fill").isEmpty();
        List<OutboxEntry> after = List.of();
        for (int i = 0; i < 30 && after.isEmpty(); i++) {
            Thread.sleep(100); // the relay's polls
            after = reader.outboxAfter(first, 10);
        }
        assertThat(after).extracting(e -> e.event().id()).containsExactly("w0");

        // The writer's next append finds 2 taken (the filler) and moves above the last number: nothing lost.
        writer.commit(new SlotWrite("z", 1, registered("z"), List.of(), List.of(event("z1", "z")), List.of(), T0));
        assertThat(reader.outboxAfter(first, 10)).extracting(e -> e.event().id()).containsExactly("w0", "z1");
    }

    private static SlotState registered(String id) {
        return SlotState.empty(id).withConfig(new SlotConfig("n", "d", List.of("alice"), List.of(), 60, 3600, T0, T0));
    }

    private static LockEvent event(String id, String slotId) {
        return new LockEvent(id, EventType.LOCK_RELEASED, slotId, T0,
                new LockEvent.EventData(slotId, "o", "p", 1L, null, "p", null));
    }
}
