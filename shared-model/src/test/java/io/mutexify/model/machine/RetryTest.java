package io.mutexify.model.machine;

import static io.mutexify.model.machine.Fixture.BOB;
import static io.mutexify.model.machine.Fixture.CAROL;
import static io.mutexify.model.machine.Fixture.DAVE;
import static io.mutexify.model.machine.Fixture.SLOT;
import static io.mutexify.model.machine.Fixture.acquire;
import static io.mutexify.model.machine.Fixture.acquireWaiting;
import static io.mutexify.model.machine.Fixture.assertUntouched;
import static io.mutexify.model.machine.Fixture.at;
import static io.mutexify.model.machine.Fixture.endWait;
import static io.mutexify.model.machine.Fixture.eventTypes;
import static io.mutexify.model.machine.Fixture.expire;
import static io.mutexify.model.machine.Fixture.release;
import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.event.EventType;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.machine.Fixture.Driver;
import io.mutexify.model.slot.Hold;
import io.mutexify.model.slot.SlotState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A request seen again (a client retry under the same Idempotency-Key, a queue redelivery, a
 * redelivered timer) gets the answer it already has and changes nothing; no retry ever makes an
 * event id that was used before.
 */
class RetryTest {
    private Driver slot;
    private final List<Outcome> outcomes = new ArrayList<>();

    @BeforeEach
    void freshSlot() {
        slot = Driver.registeredSlot();
    }

    private Outcome apply(SlotCommand command, Instant now) {
        Outcome o = slot.apply(command, now);
        outcomes.add(o);
        return o;
    }

    /** Every answer given to {@code requestId} so far, as the command's reply or another's. */
    private List<Reply> answersTo(String requestId) {
        return outcomes.stream()
                .flatMap(o -> Stream.concat(Stream.ofNullable(o.reply()), o.otherReplies().stream()))
                .filter(r -> r.requestId().equals(requestId))
                .toList();
    }

    private static void assertWaitEnded(Reply r) {
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.error()).isEqualTo("locked");
        assertThat(r.message()).contains("wait ended");
    }

    @Nested
    class RetriedWaiterAfterItsWaitEnded {
        /** Carol waits from t=10 until t=30 behind Bob, who holds until t=60. */
        private final Acquire carolWaits = acquireWaiting("w1", CAROL, 30, 20);
        private Hold bobs;

        @BeforeEach
        void carolWaitsBehindBob() {
            bobs = slot.hold("r1", BOB, 60, at(0));
            assertThat(apply(carolWaits, at(10)).reply()).isNull();
        }

        @Test
        void retryBeforeTheEndOfWaitTimerAnswers409AndIsNeverGranted() {
            Outcome retry = apply(carolWaits, at(35));

            assertWaitEnded(retry.reply());
            assertThat(retry.otherReplies()).as("answered once, as the retry's own reply").isEmpty();
            assertThat(retry.state().waiters()).as("not back in line").isEmpty();
            assertThat(retry.state().hold()).isEqualTo(bobs);
            assertThat(retry.events()).isEmpty();

            SlotState before = slot.state();
            assertUntouched(apply(endWait("w1", at(30)), at(36)), before);

            Outcome again = apply(carolWaits, at(37));
            assertThat(again.reply()).as("the same answer again").isEqualTo(retry.reply());
            assertUntouched(again, before);

            Outcome released = apply(release("d1", BOB, bobs.token()), at(40));
            assertThat(released.state().hold()).as("the slot goes free, not to the ended waiter").isNull();
            assertThat(released.otherReplies()).isEmpty();

            Outcome onAFreeSlot = apply(carolWaits, at(41));
            assertThat(onAFreeSlot.reply()).isEqualTo(retry.reply());
            assertThat(onAFreeSlot.state().hold()).isNull();
            assertThat(answersTo("w1")).allSatisfy(RetryTest::assertWaitEnded).hasSize(3);
        }

        @Test
        void retryAfterTheEndOfWaitTimerAnswersTheSame409AndIsNeverGranted() {
            Outcome timer = apply(endWait("w1", at(30)), at(30));
            Reply first = timer.otherReplies().get(0);
            assertWaitEnded(first);

            SlotState before = slot.state();
            Outcome retry = apply(carolWaits, at(31));
            assertThat(retry.reply()).isEqualTo(first);
            assertUntouched(retry, before);

            apply(release("d1", BOB, bobs.token()), at(40));
            Outcome onAFreeSlot = apply(carolWaits, at(45));
            assertThat(onAFreeSlot.reply()).isEqualTo(first);
            assertThat(onAFreeSlot.state().hold()).isNull();
            assertThat(onAFreeSlot.state().waiters()).isEmpty();
        }

        @Test
        void aRedeliveredEndOfWaitTimerChangesNothing() {
            apply(endWait("w1", at(30)), at(30));
            SlotState before = slot.state();

            assertUntouched(apply(endWait("w1", at(30)), at(31)), before);
            assertThat(answersTo("w1")).hasSize(1);
        }
    }

    @Test
    void aRetryThatFindsTheHoldExpiredAndItsWaitEndedDoesNotTakeTheFreeSlot() {
        Hold bobs = slot.hold("r1", BOB, 30, at(0));
        Acquire carolWaits = acquireWaiting("w1", CAROL, 30, 15);
        apply(carolWaits, at(10));

        // Neither the expiry (t=30) nor the end of the wait (t=25) has been applied yet.
        Outcome retry = apply(carolWaits, at(31));

        assertWaitEnded(retry.reply());
        assertThat(retry.state().hold()).as("free, not taken by the retry").isNull();
        assertThat(retry.state().fence()).isEqualTo(bobs.fence());
        assertThat(eventTypes(retry)).containsExactly(EventType.LOCK_EXPIRED);
    }

    @Test
    void retriesThatSettleTheSlotNeverReuseAnEventId() {
        slot.hold("r1", BOB, 30, at(0));
        apply(acquireWaiting("w1", CAROL, 10, 60), at(1));
        Acquire daveWaits = acquireWaiting("w2", DAVE, 10, 60);
        apply(daveWaits, at(2));

        // Each retry of Dave's waiting acquire settles the slot: a hold expired, the next waiter is granted.
        Outcome first = apply(daveWaits, at(31));
        assertThat(eventTypes(first)).containsExactly(EventType.LOCK_EXPIRED, EventType.LOCK_ACQUIRED);
        assertThat(first.reply()).as("still waiting, keeps its place").isNull();
        assertThat(first.state().waiters()).extracting(w -> w.requestId()).containsExactly("w2");

        Outcome second = apply(daveWaits, at(42));
        assertThat(eventTypes(second)).containsExactly(EventType.LOCK_EXPIRED, EventType.LOCK_ACQUIRED);
        assertThat(second.state().hold().id()).isEqualTo("w2");

        Outcome third = apply(daveWaits, at(43));
        assertThat(third.reply().status()).as("the grant again, not a second one").isEqualTo(200);
        assertThat(third.reply().lock().fence()).isEqualTo(second.state().hold().fence());
        assertThat(third.changed()).isFalse();
        assertThat(third.events()).isEmpty();

        List<String> ids = outcomes.stream().flatMap(o -> o.events().stream()).map(LockEvent::id).toList();
        assertThat(ids).hasSize(4).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).startsWith(SLOT + "#"));
        assertThat(answersTo("w2")).as("one grant").extracting(Reply::status).containsExactly(200, 200);
    }

    @Test
    void aRedeliveredExpiryChangesNothingAndEmitsNothingTwice() {
        Hold bobs = slot.hold("r1", BOB, 60, at(0));
        Outcome expiry = apply(expire(bobs.fence(), bobs.expireAt()), at(60));
        assertThat(eventTypes(expiry)).containsExactly(EventType.LOCK_EXPIRED);
        SlotState before = slot.state();

        assertUntouched(apply(expire(bobs.fence(), bobs.expireAt()), at(61)), before);
    }

    @Test
    void eventIdsStayUniqueAcrossManyHoldsAndAWholeLifetime() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Hold h = slot.hold("r" + i, BOB, 5, at(i * 10L));
            apply(acquire("again" + i, CAROL), at(i * 10L + 1));
            apply(release("d" + i, BOB, h.token()), at(i * 10L + 2));
        }
        apply(Fixture.delete("x", Fixture.ALICE), at(500));
        apply(acquire("back", BOB), at(501));
        for (Outcome o : outcomes) {
            for (LockEvent e : o.events()) {
                assertThat(seen.add(e.id())).as("id %s used once", e.id()).isTrue();
            }
        }
        assertThat(seen).hasSizeGreaterThan(20);
    }

    @Test
    void atMostSoManyEndedWaitsAreRememberedTheNewestKept() {
        slot.hold("r1", BOB, 600, at(0));
        int many = SlotMachine.MAX_ENDED_WAITS + 10;
        for (int i = 0; i < many; i++) {
            apply(acquireWaiting("w" + i, CAROL, 30, 10 + i), at(1));
        }

        apply(acquire("late", DAVE), at(10 + many));

        assertThat(slot.state().endedWaits()).hasSize(SlotMachine.MAX_ENDED_WAITS);
        assertThat(slot.state().endedWait("w" + (many - 1))).isPresent();
        assertThat(slot.state().endedWait("w0")).isEmpty();
    }

    @Test
    void endedWaitsAreForgottenAfterAWhileWhenTheSlotChangesAnyway() {
        Hold bobs = slot.hold("r1", BOB, 60, at(0));
        apply(acquireWaiting("w1", CAROL, 30, 20), at(10));
        apply(endWait("w1", at(30)), at(30));
        assertThat(slot.state().endedWait("w1")).isPresent();

        apply(release("d1", BOB, bobs.token()), at(30).plus(SlotMachine.ENDED_WAIT_MEMORY));

        assertThat(slot.state().endedWaits()).isEmpty();
    }
}
