package io.mutexify.lockkeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.command.Actor;
import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.command.SlotCommand.Release;
import io.mutexify.model.command.SlotSpec;
import io.mutexify.model.machine.Policy;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.machine.SlotMachine;
import io.mutexify.model.port.InMemorySlotStore;
import io.mutexify.model.port.RecordingTimers;
import io.mutexify.model.port.SlotWrite;
import io.mutexify.model.slot.SlotState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LockkeeperTest {
    private static final Actor ANN = new Actor("ann", false);
    /** An administrator, so the slot that ann auto-registered lets him in too. */
    private static final Actor BOB = new Actor("bob", true);

    private final InMemorySlotStore store = new InMemorySlotStore();
    private final List<Reply> sent = new ArrayList<>();
    private final List<ScheduledCommand> scheduled = new ArrayList<>();
    private final List<SlotState> changes = new ArrayList<>();
    private final AtomicInteger tokenSeq = new AtomicInteger();
    private final AtomicInteger outboxWakes = new AtomicInteger();
    private final Lockkeeper keeper = Lockkeeper.builder()
            .store(store)
            .machine(new SlotMachine(Policy.defaults()))
            .replies(sent::add)
            .timers(new RecordingTimers(scheduled))
            .clock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))
            .tokens(() -> "tok" + tokenSeq.incrementAndGet())
            .listeners(List.of(changes::add))
            .eventsCommitted(outboxWakes::incrementAndGet)
            .build();

    private static Acquire acquire(String rid, Actor who, int wait) {
        return new Acquire(rid, "s", who, null, 30, List.of(), wait);
    }

    @Test
    void aBatchIsOneCommitAndRepliesFollowIt() {
        keeper.handle("s", List.of(acquire("a1", ANN, 0), acquire("b1", BOB, 0)));
        assertThat(store.commits()).isEqualTo(1);
        assertThat(sent).extracting(Reply::requestId, Reply::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a1", 200), org.assertj.core.groups.Tuple.tuple("b1", 409));
        assertThat(store.load("s").version()).isEqualTo(1);
        assertThat(store.load("s").hold().token()).isEqualTo("tok1");
        assertThat(changes).hasSize(1);
        assertThat(outboxWakes.get()).isEqualTo(1);
        assertThat(scheduled).extracting(s -> s.command().getClass().getSimpleName()).containsExactly("Expire");
    }

    @Test
    void onlyAWriteThatJustPutsOneCallWaitersInLineAcknowledgesNothing() {
        keeper.handle("s", List.of(acquire("a1", ANN, 0)));
        keeper.handle("s", List.of(acquire("b1", BOB, 20)));
        keeper.handle("s", List.of(acquire("b2", BOB, 600).asLongWait(25)));
        keeper.handle("s", List.of(new Release("a2", "s", ANN, "tok1")));

        assertThat(store.committedWrites()).extracting(SlotWrite::acknowledgesNothing)
                .as("grant; one-call waiter joins; long waiter joins (told it is in line); release and grant")
                .containsExactly(false, true, false, false);
        assertThat(sent).extracting(Reply::requestId).containsExactly("a1", "b1", "a2");
    }

    @Test
    void aRepeatedRequestIdGetsTheStoredReplyAndChangesNothing() {
        deliveredTwiceIsAnsweredFromTheStore("a1", () -> keeper.handle("s", List.of(acquire("a1", ANN, 0))));
    }

    @Test
    void aFreshRequestIdRedeliveredGetsItsStoredReplyAndChangesNothing() {
        // The batch comes again (its first try failed after the commit): it must not be applied twice.
        deliveredTwiceIsAnsweredFromTheStore("r-1", () -> keeper.handle("s", List.of(acquire("r-1", ANN, 0)), false));
    }

    private void deliveredTwiceIsAnsweredFromTheStore(String rid, Runnable again) {
        keeper.handle("s", List.of(acquire(rid, ANN, 0)), true);
        SlotState before = store.load("s");
        int commits = store.commits();
        again.run();
        assertThat(store.load("s")).isEqualTo(before);
        assertThat(store.commits()).isEqualTo(commits);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).isEqualTo(sent.get(0));
    }

    @Test
    void onlyAFreshRequestIdOnItsFirstDeliveryIsNotLookedUp() {
        keeper.handle("s", List.of(acquire("r-1", ANN, 0)), true);
        assertThat(store.replyLookups.get()).as("fresh id, first delivery").isZero();
        keeper.handle("s", List.of(acquire("k-1", BOB, 0)), true);
        assertThat(store.replyLookups.get()).as("an Idempotency-Key's id").isEqualTo(1);
        keeper.handle("s", List.of(acquire("r-2", BOB, 0)), false);
        assertThat(store.replyLookups.get()).as("a redelivery").isEqualTo(2);
        keeper.handle("s", List.of(acquire("r-3", BOB, 0)));
        assertThat(store.replyLookups.get()).as("a queue that cannot tell").isEqualTo(3);
    }

    @Test
    void theSameRequestTwiceInOneBatchIsAppliedOnce() {
        keeper.handle("s", List.of(acquire("a1", ANN, 0), acquire("a1", ANN, 0)));
        assertThat(store.load("s").fence()).isEqualTo(1);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).isEqualTo(sent.get(0));
    }

    @Test
    void aConflictReloadsAndAppliesAgainWithoutLosingEitherWrite() {
        keeper.handle("s", List.of(acquire("a1", ANN, 0)));
        String token = store.load("s").hold().token();
        store.conflictOnNextCommit(); // another writer bumps the version under us
        keeper.handle("s", List.of(new Release("r1", "s", ANN, token)));
        assertThat(store.load("s").hold()).isNull();
        assertThat(store.load("s").version()).isEqualTo(3);
        assertThat(sent).extracting(Reply::requestId, Reply::status).contains(org.assertj.core.groups.Tuple.tuple("r1", 204));
    }

    @Test
    void aWaiterIsAnsweredWhenTheLockIsHandedOver() {
        keeper.handle("s", List.of(acquire("a1", ANN, 0)));
        keeper.handle("s", List.of(acquire("b1", BOB, 10)));
        assertThat(sent).extracting(Reply::requestId).containsExactly("a1"); // b1 waits
        keeper.handle("s", List.of(new Release("r1", "s", ANN, "tok1")));
        // The waiter's grant goes out before the releaser's own answer: the next holder should not wait for it.
        assertThat(sent).extracting(Reply::requestId, Reply::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a1", 200), org.assertj.core.groups.Tuple.tuple("b1", 200),
                org.assertj.core.groups.Tuple.tuple("r1", 204));
        assertThat(store.findReply("b1")).isPresent(); // a retry of b1 gets its grant again
        assertThat(store.load("s").hold().principal()).isEqualTo("bob");
    }

    @Test
    void aTimerIsObsoleteOnlyOnceItsHoldOrWaitIsOverOrMoved() {
        assertThat(keeper.isObsolete(SlotCommand.Expire.of("unknown", 1, Instant.EPOCH))).isFalse();
        keeper.handle("s", List.of(acquire("a1", ANN, 0)));
        keeper.handle("s", List.of(acquire("b1", BOB, 10)));
        SlotState held = store.load("s");
        var expiry = SlotCommand.Expire.of("s", held.hold().fence(), held.hold().expireAt());
        var endWait = SlotCommand.EndWait.of("s", "b1", held.waiters().get(0).waitUntil());
        assertThat(keeper.isObsolete(expiry)).isFalse();
        assertThat(keeper.isObsolete(endWait)).isFalse();
        assertThat(keeper.isObsolete(SlotCommand.Expire.of("s", held.hold().fence(), held.hold().expireAt().minusSeconds(5))))
                .as("an older expiry of an extended hold").isTrue();

        keeper.handle("s", List.of(new Release("r1", "s", ANN, held.hold().token())));

        assertThat(keeper.isObsolete(expiry)).as("the released hold's expiry").isTrue();
        assertThat(keeper.isObsolete(endWait)).as("the waiter was granted").isTrue();
        SlotState stored = store.load("s");
        assertThat(keeper.isObsolete(SlotCommand.Expire.of("s", stored.hold().fence(), stored.hold().expireAt()))).isFalse();
    }

    @Test
    void timersAreRearmedFromTheStore() {
        keeper.handle("s", List.of(acquire("a1", ANN, 0)));
        keeper.handle("s", List.of(acquire("b1", BOB, 10)));
        scheduled.clear();
        assertThat(keeper.rearmTimers()).isEqualTo(2);
        assertThat(scheduled).extracting(s -> s.command().getClass().getSimpleName())
                .containsExactlyInAnyOrder("Expire", "EndWait");
    }

    // ---- pools ----

    private static SlotSpec pool(Integer capacity, Integer lockDelay) {
        return new SlotSpec(null, null, null, null, null, null, capacity, null, lockDelay);
    }

    @Test
    void raisingAPoolsCapacityGrantsSeveralWaitersEachWithItsOwnToken() {
        keeper.handle("p", List.of(new SlotCommand.CreateSlot("c", "p", ANN, pool(1, null))));
        keeper.handle("p", List.of(new Acquire("a", "p", ANN, null, 30, List.of(), 0)));
        keeper.handle("p", List.of(new Acquire("w1", "p", ANN, null, 30, List.of(), 10),
                new Acquire("w2", "p", ANN, null, 30, List.of(), 10)));
        keeper.handle("p", List.of(new SlotCommand.UpdateSlot("u", "p", ANN, pool(3, null))));

        SlotState s = store.load("p");
        assertThat(s.holds()).extracting(h -> h.id()).containsExactly("a", "w1", "w2");
        assertThat(s.holds()).extracting(h -> h.token()).doesNotHaveDuplicates();
        assertThat(sent).filteredOn(r -> r.requestId().startsWith("w")).extracting(r -> r.lock().token())
                .containsExactlyElementsOf(s.holds().subList(1, 3).stream().map(h -> h.token()).toList());
    }

    @Test
    void aLockDelayTimerIsScheduledObsoleteOnceOverAndRearmedFromTheStore() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        keeper.handle("p", List.of(new SlotCommand.CreateSlot("c", "p", ANN, pool(2, 30))));
        keeper.handle("p", List.of(new Acquire("a", "p", ANN, null, 30, List.of(), 0)));
        keeper.handle("p", List.of(new SlotCommand.Break("b", "p", ANN, "stuck")));

        SlotState s = store.load("p");
        assertThat(s.delays()).singleElement().satisfies(d -> assertThat(d.until()).isEqualTo(now.plusSeconds(30)));
        var endDelay = SlotCommand.EndDelay.of("p", 1, now.plusSeconds(30));
        assertThat(scheduled).extracting(ScheduledCommand::command).contains(endDelay);
        assertThat(keeper.isObsolete(endDelay)).isFalse();
        assertThat(keeper.isObsolete(SlotCommand.EndDelay.of("p", 9, now.plusSeconds(30)))).isTrue();

        scheduled.clear();
        assertThat(keeper.rearmTimers()).isEqualTo(1);
        assertThat(scheduled).extracting(ScheduledCommand::command).containsExactly(endDelay);
    }
}
