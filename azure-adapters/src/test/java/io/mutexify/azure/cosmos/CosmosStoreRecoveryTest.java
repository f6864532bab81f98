package io.mutexify.azure.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mutexify.model.event.EventType;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.OutboxEntry;
import io.mutexify.model.port.SlotWrite;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.SlotConfig;
import io.mutexify.model.slot.SlotState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the contract cannot show with one store: several processes on one database (each store
 * instance here stands for one), stale caches, and a process dying between its commit and the
 * copies that follow it.
 */
@ExtendWith(CosmosTestServer.class)
class CosmosStoreRecoveryTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private final List<CosmosSlotStore> opened = new ArrayList<>();
    private final CosmosSettings settings = CosmosTestServer.get().freshSettings();

    private CosmosSlotStore open(CosmosSlotStore.Tuning tuning) {
        CosmosSlotStore s = CosmosSlotStore.open(CosmosTestServer.get().client(), settings, false, tuning);
        opened.add(s);
        return s;
    }

    private CosmosSlotStore open() {
        // The test server keeps expired documents: run as on a container without TTL, where prune deletes.
        return open(CosmosSlotStore.Tuning.defaults().withExpiresByTtl(false));
    }

    @AfterEach
    void closeAll() {
        opened.forEach(CosmosSlotStore::close);
    }

    @Test
    void aCommitWhoseProcessDiedBeforeCopyingOutIsFinishedByTheNextReaderAndWriter() {
        CosmosSlotStore dying = open(CosmosSlotStore.Tuning.defaults().withStopAfterSlotWrite(true));
        assertThat(dying.commit(new SlotWrite("s", 0, registered("s").withFence(1), List.of(reply("req-1", "s")),
                List.of(event("e1", "s")), List.of(history("s", 1)), T0))).isTrue();

        CosmosSlotStore other = open(CosmosSlotStore.Tuning.defaults().withSweepGrace(Duration.ZERO));
        // Readers see the commit at once, from the slot document's last write.
        assertThat(other.load("s").fence()).isEqualTo(1);
        assertThat(other.findReply("req-1")).contains(reply("req-1", "s"));
        assertThat(other.history("s", 10)).containsExactly(history("s", 1));
        // The outbox sweep publishes its event, once.
        assertThat(other.outboxAfter(0, 10)).extracting(e -> e.event().id()).containsExactly("e1");
        assertThat(other.outboxAfter(0, 10)).extracting(e -> e.event().id()).containsExactly("e1");

        // The next commit replaces the last write: everything of the first is still found.
        assertThat(other.commit(new SlotWrite("s", 1, registered("s").withFence(2), List.of(reply("req-2", "s")),
                List.of(event("e2", "s")), List.of(history("s", 2)), T0))).isTrue();
        assertThat(other.findReply("req-1")).contains(reply("req-1", "s"));
        assertThat(other.findReply("req-2")).contains(reply("req-2", "s"));
        assertThat(other.history("s", 10)).containsExactly(history("s", 2), history("s", 1));
        assertThat(other.outboxAfter(0, 10)).extracting(e -> e.event().id()).containsExactly("e1", "e2");
    }

    @Test
    void anotherProcesssFreshMarkerIsLeftAloneUntilTheGraceEnds() {
        CosmosSlotStore dying = open(CosmosSlotStore.Tuning.defaults().withStopAfterSlotWrite(true));
        dying.commit(new SlotWrite("s", 0, registered("s"), List.of(), List.of(event("e1", "s")), List.of(), T0));

        assertThat(open().outboxAfter(0, 10)).isEmpty(); // that process may still be publishing
        assertThat(open(CosmosSlotStore.Tuning.defaults().withSweepGrace(Duration.ZERO)).outboxAfter(0, 10))
                .extracting(e -> e.event().id()).containsExactly("e1");
    }

    @Test
    void aStaleCachedEtagCostsAReReadNotAWrongAnswer() {
        CosmosSlotStore a = open();
        CosmosSlotStore b = open();
        assertThat(a.commit(stateWrite("s", 0, registered("s")))).isTrue();
        assertThat(b.load("s").version()).isEqualTo(1);

        // b records a reply without changing the version: a's cached ETag is stale, its version is not.
        assertThat(b.commit(new SlotWrite("s", 1, null, List.of(reply("req-b", "s")), List.of(), List.of(), T0)))
                .isTrue();
        assertThat(a.commit(new SlotWrite("s", 1, registered("s").withFence(5), List.of(reply("req-a", "s")),
                List.of(), List.of(), T0))).isTrue();

        assertThat(b.load("s")).isEqualTo(registered("s").withFence(5).withVersion(2));
        assertThat(b.findReply("req-a")).isPresent();
        assertThat(b.findReply("req-b")).isPresent();
        // b's cache says version 1: the If-Match fails, the re-read shows version 2, and nothing is written.
        assertThat(b.commit(stateWrite("s", 1, registered("s").withFence(99)))).isFalse();
        assertThat(a.load("s").fence()).isEqualTo(5);
    }

    @Test
    @Timeout(60)
    void writersInTwoProcessesRacingOnOneSlotLoseNoUpdate() throws Exception {
        CosmosSlotStore a = open();
        CosmosSlotStore b = open();
        a.commit(stateWrite("counter", 0, registered("counter")));
        int each = 15;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> conflicts = new ArrayList<>();
            for (CosmosSlotStore store : List.of(a, b)) {
                conflicts.add(pool.submit(() -> {
                    int lost = 0;
                    for (int i = 0; i < each; i++) {
                        while (true) {
                            SlotState s = store.load("counter");
                            if (store.commit(new SlotWrite("counter", s.version(), s.withFence(s.fence() + 1),
                                    List.of(), List.of(event("ev-" + s.fence() + "-" + store.hashCode(), "counter")),
                                    List.of(), T0))) {
                                break;
                            }
                            lost++;
                        }
                    }
                    return lost;
                }));
            }
            for (Future<Integer> f : conflicts) {
                f.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        SlotState last = a.load("counter");
        assertThat(last.fence()).isEqualTo(2L * each);
        assertThat(last.version()).isEqualTo(1L + 2 * each);
        List<OutboxEntry> outbox = b.outboxAfter(0, 1000);
        assertThat(outbox).hasSize(2 * each);
        assertThat(outbox).extracting(OutboxEntry::seq).isSorted().doesNotHaveDuplicates();
        assertThat(outbox).extracting(e -> e.event().id()).doesNotHaveDuplicates();
    }

    @Test
    void aPublisherWithAStaleLogPositionNeverReusesAPrunedSequenceNumber() {
        CosmosSlotStore a = open();
        CosmosSlotStore b = open();
        a.commit(new SlotWrite("x", 0, registered("x"), List.of(), List.of(event("x1", "x")), List.of(), T0));
        b.commit(new SlotWrite("y", 0, registered("y"), List.of(), List.of(event("y1", "y")), List.of(), T0));
        long last = b.outboxAfter(0, 10).get(1).seq();
        b.saveCursor("relay", last);
        assertThat(b.prune(T0, List.of("relay"))).isEqualTo(2);

        // a still believes log document 1 is the last one; number 2 is free again, but was delivered.
        a.commit(new SlotWrite("x", 1, registered("x"), List.of(), List.of(event("x2", "x")), List.of(), T0));

        assertThat(a.outboxAfter(last, 10)).extracting(e -> e.event().id()).containsExactly("x2");
    }

    @Test
    void requestIdsAndSubscribersOfAnyShapeAreStoredUnderSafeIds() {
        CosmosSlotStore s = open();
        String slash = "caller/POST/api/v1/locks/x#1?retry";
        String long300 = "k".repeat(300);
        assertThat(s.commit(new SlotWrite("x", 0, registered("x"), List.of(reply(slash, "x"), reply(long300, "x")),
                List.of(), List.of(), T0))).isTrue();

        assertThat(s.findReply(slash)).contains(reply(slash, "x"));
        assertThat(s.findReply(long300)).contains(reply(long300, "x"));
        assertThat(s.findReply("k".repeat(299))).isEmpty();
        s.saveCursor("hook/https://example.test/#a", 7);
        assertThat(s.cursor("hook/https://example.test/#a")).isEqualTo(7);
        assertThat(s.prune(T0.plusSeconds(1), List.of())).isEqualTo(2);
        assertThat(s.findReply(slash)).isEmpty();
    }

    @Test
    void slotIdsCannotReachTheStoresOwnPartitions() {
        CosmosSlotStore s = open();

        assertThatThrownBy(() -> s.commit(stateWrite("$catalog", 0, registered("$catalog"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.load("$outbox")).isInstanceOf(IllegalArgumentException.class);
        assertThat(s.loadAll()).isEmpty();
    }

    // ---- fixtures ----

    private static SlotState registered(String id) {
        return SlotState.empty(id).withConfig(new SlotConfig("n", "d", List.of("alice"), List.of(), 60, 3600, T0, T0));
    }

    private static SlotWrite stateWrite(String id, long expected, SlotState state) {
        return new SlotWrite(id, expected, state, List.of(), List.of(), List.of(), T0);
    }

    private static Reply reply(String requestId, String slotId) {
        return Reply.error(requestId, slotId, 404, "not_held", "slot " + slotId + " is not held");
    }

    private static LockEvent event(String id, String slotId) {
        return new LockEvent(id, EventType.LOCK_RELEASED, slotId, T0,
                new LockEvent.EventData(slotId, "o", "p", 1L, null, "p", null));
    }

    private static HistoryEntry history(String slotId, long fence) {
        return new HistoryEntry(slotId, fence, "o", "p", T0, T0.plusSeconds(fence), HistoryEntry.EndReason.RELEASED, "p");
    }
}
