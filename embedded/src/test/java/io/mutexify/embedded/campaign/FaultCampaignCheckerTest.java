package io.mutexify.embedded.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mutexify.model.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The checker's self-test: a fabricated clean history passes, and each fabricated breach of a
 * promise is reported as its kind of violation.
 *
 * <p>The clean story, on slot {@code s} (times in ms): A asks at 0 and gets fence 1 at 10 until
 * 5000, releases at 1000; B waits from 500, gets fence 2 at 1020 until 6020, extends at 2000 to
 * 7010 and lets it expire.
 */
class FaultCampaignCheckerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aCleanHistoryHasNoViolations() {
        assertThat(Checker.check(new Story().record())).isEmpty();
    }

    @Test
    void overlappingHoldsAreReported() {
        // B answered at 900, while A surely held the slot until its release was sent at 1000.
        assertThat(kinds(s -> s.b = s.acquire("b", 500, 900, "tB", 2, 6020))).contains(Violation.Kind.OVERLAP);
    }

    @Test
    void aReusedFenceIsReported() {
        assertThat(kinds(s -> {
            s.b = s.acquire("b", 500, 1020, "tB", 1, 6020);
            s.history.set(1, new StoreSnapshot.Ended(1, "b", wall(1020), wall(7010), "expired"));
        })).contains(Violation.Kind.FENCE_REUSED);
    }

    @Test
    void aFenceNotAboveAnEarlierGrantsIsReported() {
        // A was answered at 10 with fence 2; B, asked for at 500, got fence 1.
        assertThat(kinds(s -> {
            s.a = s.acquire("a", 0, 10, "tA", 2, 5000);
            s.b = s.acquire("b", 500, 1020, "tB", 1, 6020);
        })).contains(Violation.Kind.FENCE_ORDER);
    }

    @Test
    void aStoreHistoryOutOfFenceOrderIsReported() {
        assertThat(kinds(s -> s.history.add(new StoreSnapshot.Ended(1, "x", wall(8000), wall(9000), "released"))))
                .contains(Violation.Kind.FENCE_ORDER);
    }

    @Test
    void anAcknowledgedGrantMissingFromTheStoreIsReported() {
        assertThat(kinds(s -> s.history.remove(0))).contains(Violation.Kind.LOST_ACK);
    }

    @Test
    void anAcknowledgedReleaseMissingFromTheStoreIsReported() {
        assertThat(kinds(s -> s.history.set(0, new StoreSnapshot.Ended(1, "a", wall(10), wall(5000), "expired"))))
                .contains(Violation.Kind.LOST_ACK);
    }

    @Test
    void anAcknowledgedExtendMissingFromTheStoreIsReported() {
        // The hold expired at its first expiry, as if the extend to 7010 had never been committed.
        assertThat(kinds(s -> s.history.set(1, new StoreSnapshot.Ended(2, "b", wall(1020), wall(6020), "expired"))))
                .contains(Violation.Kind.LOST_ACK);
    }

    @Test
    void twoAnswersToOneKeyAreReported() {
        assertThat(kinds(s -> s.b.add(attempt(3000, 3010, 409, "locked", null, null, null)))).contains(Violation.Kind.TWO_ANSWERS);
    }

    @Test
    void anAnswerTheStoreDisagreesWithIsReported() {
        assertThat(kinds(s -> s.replies.put(s.b.requestId, attempt(0, 0, 409, "locked", null, null, null))))
                .contains(Violation.Kind.TWO_ANSWERS);
    }

    @Test
    void aRefusedKeyThatLaterHoldsTheSlotIsReported() {
        // C was told 409, yet the store shows its request granted later (fence 3).
        assertThat(kinds(s -> {
            Op c = s.op(Op.Kind.ACQUIRE, "c", null);
            c.add(attempt(6500, 6510, 409, "locked", null, null, null));
            s.replies.put(c.requestId, attempt(0, 0, 409, "locked", null, null, null));
            s.current = new StoreSnapshot.Hold(3, "c", "tC", wall(12_000));
            s.fence = 3;
            s.deliver("s/9", "io.mutexify.lock.acquired", 3, 12_000L);
        })).contains(Violation.Kind.TWO_ANSWERS);
    }

    @Test
    void aCommittedChangeWithoutADeliveredEventIsReported() {
        assertThat(kinds(s -> s.deliveries.removeIf(d -> d.type().equals("io.mutexify.lock.released"))))
                .contains(Violation.Kind.EVENT_MISSING);
    }

    @Test
    void anUndeliveredOutboxEntryIsReported() {
        assertThat(kinds(s -> s.outbox.add(event("s/99", "io.mutexify.lock.released", 2, 7010L))))
                .contains(Violation.Kind.EVENT_MISSING);
    }

    @Test
    void oneEventIdWithTwoContentsIsReported() {
        // The acquired event of fence 2 comes again under the id the acquired event of fence 1 had.
        assertThat(kinds(s -> s.deliver("s/1", "io.mutexify.lock.acquired", 2, 6020L))).contains(Violation.Kind.EVENT_ID_REUSED);
    }

    @Test
    void a500AndA503WithoutRetryAfterAreReported() {
        List<Violation> found = Checker.check(new Story().with(s -> {
            s.a.add(attempt(20, 30, 500, "internal", null, null, null));
            s.b.add(new Attempt(40, 50, 503, "busy", null, null, null, false, false));
            s.b.add(new Attempt(60, 70, 503, "busy", null, null, null, true, false));
        }).record());
        assertThat(found).filteredOn(v -> v.kind() == Violation.Kind.BAD_5XX).hasSize(2);
    }

    // ---- the fabricated run -------------------------------------------------------------------------

    private static List<Violation.Kind> kinds(Consumer<Story> change) {
        List<Violation> found = Checker.check(new Story().with(change).record());
        return found.stream().map(Violation::kind).toList();
    }

    /** The clean story above, in fields a test may change before {@link #record()}. */
    private static final class Story {
        final List<Op> ops = new ArrayList<>();
        final List<StoreSnapshot.Ended> history = new ArrayList<>();
        final Map<String, Attempt> replies = new LinkedHashMap<>();
        final List<Delivery> deliveries = new ArrayList<>();
        final List<JsonNode> outbox = new ArrayList<>();
        StoreSnapshot.Hold current;
        long fence = 2;
        Op a = acquire("a", 0, 10, "tA", 1, 5000);
        Op b = acquire("b", 500, 1020, "tB", 2, 6020);

        Story() {
            Op release = op(Op.Kind.RELEASE, null, "tA");
            release.add(attempt(1000, 1010, 204, null, null, null, null));
            Op extend = op(Op.Kind.EXTEND, null, "tB");
            extend.add(attempt(2000, 2010, 200, null, "tB", 2L, wall(7010)));
            history.add(new StoreSnapshot.Ended(1, "a", wall(10), wall(1000), "released"));
            history.add(new StoreSnapshot.Ended(2, "b", wall(1020), wall(7010), "expired"));
            deliveries.add(new Delivery("s/0", event("s/0", "io.mutexify.slot.created", 0, null), true));
            deliver("s/1", "io.mutexify.lock.acquired", 1, 5000L);
            deliver("s/2", "io.mutexify.lock.released", 1, 5000L);
            deliver("s/3", "io.mutexify.lock.acquired", 2, 6020L);
            deliver("s/4", "io.mutexify.lock.extended", 2, 7010L);
            deliver("s/5", "io.mutexify.lock.expired", 2, 7010L);
        }

        Story with(Consumer<Story> change) {
            change.accept(this);
            return this;
        }

        /** A granted acquire, replacing any earlier one by the same owner. */
        Op acquire(String owner, long sentMs, long doneMs, String token, long fence, long expireAtMs) {
            ops.removeIf(o -> owner.equals(o.owner));
            Op op = op(Op.Kind.ACQUIRE, owner, null);
            op.add(attempt(sentMs, doneMs, 200, null, token, fence, wall(expireAtMs)));
            return op;
        }

        Op op(Op.Kind kind, String owner, String token) {
            String key = kind + "-" + (owner != null ? owner : token) + "-" + ops.size();
            Op op = new Op(kind, 0, "s", key, "k-" + key, owner, token);
            ops.add(op);
            return op;
        }

        void deliver(String id, String type, long fence, Long expireAtMs) {
            deliveries.add(new Delivery(id, event(id, type, fence, expireAtMs), true));
        }

        CampaignRecord record() {
            for (Op op : ops) {
                op.answer().ifPresent(a -> replies.putIfAbsent(op.requestId, a));
            }
            var slot = new StoreSnapshot.Slot("s", true, fence, current, history);
            StoreSnapshot store = new StoreSnapshot(Map.of("s", slot), replies, outbox);
            return new CampaignRecord(ops, deliveries, store, new Timeline(0, T0), 100 * 1_000_000L);
        }
    }

    private static JsonNode event(String id, String type, long fence, Long expireAtMs) {
        ObjectNode e = Json.mapper().createObjectNode().put("id", id).put("type", type).put("subject", "s");
        ObjectNode data = e.putObject("data").put("slot", "s").put("fence", fence);
        if (expireAtMs != null) {
            data.put("expireAt", wall(expireAtMs).toString());
        }
        return e;
    }

    private static Attempt attempt(long sentMs, long doneMs, int status, String error, String token, Long fence, Instant expireAt) {
        return new Attempt(sentMs * 1_000_000, doneMs * 1_000_000, status, error, token, fence, expireAt, false, false);
    }

    private static Instant wall(long ms) {
        return T0.plusMillis(ms);
    }
}
