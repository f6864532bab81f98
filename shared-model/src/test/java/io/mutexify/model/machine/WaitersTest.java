package io.mutexify.model.machine;

import static io.mutexify.model.machine.Fixture.ALICE;
import static io.mutexify.model.machine.Fixture.BOB;
import static io.mutexify.model.machine.Fixture.CAROL;
import static io.mutexify.model.machine.Fixture.DAVE;
import static io.mutexify.model.machine.Fixture.MALLORY;
import static io.mutexify.model.machine.Fixture.SLOT;
import static io.mutexify.model.machine.Fixture.acquire;
import static io.mutexify.model.machine.Fixture.acquireWaiting;
import static io.mutexify.model.machine.Fixture.assertUntouched;
import static io.mutexify.model.machine.Fixture.at;
import static io.mutexify.model.machine.Fixture.delete;
import static io.mutexify.model.machine.Fixture.endWait;
import static io.mutexify.model.machine.Fixture.eventTypes;
import static io.mutexify.model.machine.Fixture.expireTimer;
import static io.mutexify.model.machine.Fixture.release;
import static io.mutexify.model.machine.Fixture.tokenFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.event.EventType;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.HistoryEntry.EndReason;
import io.mutexify.model.slot.LockView;
import io.mutexify.model.slot.SlotState;
import io.mutexify.model.slot.Waiter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fair waiting: a FIFO line of acquires that asked to wait. */
class WaitersTest extends BobHoldsSlot {
    @Test
    void acquireWithWaitWhileHeldJoinsTheLineWithoutAnAnswerYet() {
        Acquire c = new Acquire("w1", SLOT, CAROL, "runner-9", 30, List.of("m"), 20);

        Outcome o = slot.apply(c, at(10));

        assertThat(o.reply()).as("the answer is deferred").isNull();
        assertThat(o.changed()).isTrue();
        assertThat(o.state().waiters()).containsExactly(
                new Waiter("w1", "runner-9", "carol", 30, List.of("m"), at(10), at(30)));
        assertThat(o.state().hold()).isEqualTo(held);
        assertThat(o.timers()).containsExactly(new ScheduledCommand(at(30), endWait("w1", at(30))));
        assertThat(o.events()).isEmpty();
        assertThat(o.history()).isEmpty();
        assertThat(o.otherReplies()).isEmpty();
    }

    @Test
    void acquireWithWaitOnAFreeSlotIsGrantedAtOnce() {
        slot.apply(release("d1", BOB, held.token()), at(5));

        Outcome o = slot.apply(acquireWaiting("w1", CAROL, 30, 20), at(10));

        assertThat(o.reply().status()).isEqualTo(200);
        assertThat(o.state().waiters()).isEmpty();
        assertThat(o.timers()).containsExactly(expireTimer(o.state().hold()));
    }

    @Test
    void releaseGrantsTheWaiterAndAnswersItsRequest() {
        slot.apply(acquireWaiting("w1", CAROL, 30, 20), at(10));

        Outcome o = slot.apply(release("d1", BOB, held.token()), at(15));

        assertThat(o.reply().status()).isEqualTo(204);
        assertThat(o.otherReplies()).singleElement().satisfies(r -> {
            assertThat(r.requestId()).isEqualTo("w1");
            assertThat(r.slotId()).isEqualTo(SLOT);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.lock()).isEqualTo(LockView.forHolder(SLOT, o.state().hold()));
            assertThat(r.lock().token()).as("the command's fresh token").isEqualTo(tokenFor("d1"));
            assertThat(r.lock().fence()).isEqualTo(2);
            assertThat(r.lock().owner()).isEqualTo("carol");
            assertThat(r.lock().principal()).isEqualTo("carol");
            assertThat(r.lock().createdAt()).as("granted when the slot came free").isEqualTo(at(15));
            assertThat(r.lock().expireAt()).isEqualTo(at(45));
        });
        assertThat(o.state().waiters()).isEmpty();
        assertThat(o.state().fence()).isEqualTo(2);
        assertThat(o.history()).extracting(HistoryEntry::endReason).containsExactly(EndReason.RELEASED);
        assertThat(eventTypes(o)).containsExactly(EventType.LOCK_RELEASED, EventType.LOCK_ACQUIRED);
        assertThat(o.timers()).containsExactly(expireTimer(o.state().hold()));
    }

    @Test
    void waitersAreGrantedOldestFirst() {
        slot.apply(acquireWaiting("w1", CAROL, 30, 60), at(1));
        slot.apply(acquireWaiting("w2", DAVE, 30, 60), at(2));
        slot.apply(acquireWaiting("w3", ALICE, 30, 60), at(3));
        assertThat(slot.state().waiters()).extracting(Waiter::requestId).containsExactly("w1", "w2", "w3");

        Outcome first = slot.apply(release("d1", BOB, held.token()), at(10));
        assertThat(first.otherReplies()).extracting(Reply::requestId).containsExactly("w1");
        assertThat(first.state().hold().principal()).isEqualTo("carol");

        Outcome second = slot.apply(release("d2", CAROL, tokenFor("d1")), at(11));
        assertThat(second.otherReplies()).extracting(Reply::requestId).containsExactly("w2");
        assertThat(second.state().hold().principal()).isEqualTo("dave");
        assertThat(second.state().hold().fence()).isEqualTo(3);
        assertThat(second.state().waiters()).extracting(Waiter::requestId).containsExactly("w3");
    }

    @Test
    void aWaiterWhoseWaitEndedIsNeverGrantedAndIsToldSo() {
        slot.apply(acquireWaiting("w1", CAROL, 30, 5), at(1)); // waits until t=6
        slot.apply(acquireWaiting("w2", DAVE, 30, 30), at(2)); // waits until t=32

        Outcome o = slot.apply(release("d1", BOB, held.token()), at(10));

        assertThat(o.otherReplies()).extracting(Reply::requestId, Reply::status)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("w1", 409),
                        org.assertj.core.groups.Tuple.tuple("w2", 200));
        Reply refused = o.otherReplies().stream().filter(r -> r.requestId().equals("w1")).findFirst().orElseThrow();
        assertThat(refused.error()).isEqualTo("locked");
        assertThat(o.state().hold().principal()).isEqualTo("dave");
        assertThat(o.state().waiters()).isEmpty();
    }

    @Test
    void aWaiterIsNotGrantedAtExactlyTheEndOfItsWait() {
        slot.apply(acquireWaiting("w1", CAROL, 30, 20), at(10)); // waits until t=30

        Outcome o = slot.apply(release("d1", BOB, held.token()), at(30));

        assertThat(o.otherReplies()).singleElement().satisfies(r -> {
            assertThat(r.requestId()).isEqualTo("w1");
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.error()).isEqualTo("locked");
            // The wait ended before the release in the same command took effect, so Bob still held it then.
            assertThat(r.lock()).isEqualTo(LockView.forPublic(SLOT, held));
        });
        assertThat(o.state().hold()).isNull();
        assertThat(o.state().fence()).as("no grant happened").isEqualTo(1);
        assertThat(eventTypes(o)).containsExactly(EventType.LOCK_RELEASED);
    }

    @Test
    void endWaitOnTimeRemovesTheWaiterAndAnswersLockedNamingTheHolder() {
        slot.apply(acquireWaiting("w1", CAROL, 30, 20), at(10));
        slot.apply(acquireWaiting("w2", DAVE, 30, 40), at(11));

        Outcome o = slot.apply(endWait("w1", at(30)), at(30));

        assertThat(o.changed()).isTrue();
        assertThat(o.reply()).as("a timer has no client to answer").isNull();
        assertThat(o.otherReplies()).singleElement().satisfies(r -> {
            assertThat(r.requestId()).isEqualTo("w1");
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.error()).isEqualTo("locked");
            assertThat(r.lock()).isEqualTo(LockView.forPublic(SLOT, held));
        });
        assertThat(o.state().waiters()).extracting(Waiter::requestId).containsExactly("w2");
        assertThat(o.state().hold()).isEqualTo(held);
        assertThat(o.events()).isEmpty();
        assertThat(o.timers()).isEmpty();
    }

    @Test
    void theSameWaitingRequestSentAgainDoesNotJoinTwice() {
        Acquire c = acquireWaiting("w1", CAROL, 30, 20);
        slot.apply(c, at(10));
        SlotState before = slot.state();

        Outcome o = slot.apply(c, at(12));

        assertThat(o.reply()).isNull();
        assertUntouched(o, before);
        assertThat(o.state().waiters()).hasSize(1);
    }

    @Test
    void theSameRequestIdKeepsItsPlaceInLine() {
        slot.apply(acquireWaiting("w1", CAROL, 30, 20), at(10));
        slot.apply(acquireWaiting("w2", DAVE, 30, 20), at(11));

        slot.apply(acquireWaiting("w1", CAROL, 30, 20), at(12));

        assertThat(slot.state().waiters()).extracting(Waiter::requestId).containsExactly("w1", "w2");
        assertThat(slot.state().waiters().get(0).waitUntil()).as("not restarted").isEqualTo(at(30));
    }

    @Test
    void anAcquireWithoutWaitCannotJumpTheLineWhenTheHoldExpired() {
        slot.apply(acquireWaiting("w1", CAROL, 30, 60), at(50)); // waits until t=110

        // Bob's hold expired at t=60; its Expire timer has not run yet.
        Outcome o = slot.apply(acquire("r2", DAVE, 30), at(61));

        assertThat(o.reply().status()).isEqualTo(409);
        assertThat(o.reply().error()).isEqualTo("locked");
        assertThat(o.reply().lock().principal()).as("names the waiter that just got it").isEqualTo("carol");
        assertThat(o.reply().lock().token()).isNull();
        assertThat(o.otherReplies()).singleElement().satisfies(r -> {
            assertThat(r.requestId()).isEqualTo("w1");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.lock().fence()).isEqualTo(2);
        });
        assertThat(eventTypes(o)).containsExactly(EventType.LOCK_EXPIRED, EventType.LOCK_ACQUIRED);
    }

    @Test
    void anAcquireWithWaitJoinsBehindExistingWaitersWhenTheHoldExpired() {
        slot.apply(acquireWaiting("w1", CAROL, 30, 60), at(50));

        Outcome o = slot.apply(acquireWaiting("w2", DAVE, 30, 60), at(61));

        assertThat(o.reply()).isNull();
        assertThat(o.otherReplies()).extracting(Reply::requestId).containsExactly("w1");
        assertThat(o.state().hold().principal()).isEqualTo("carol");
        assertThat(o.state().waiters()).extracting(Waiter::requestId).containsExactly("w2");
    }

    @Test
    void aNonMemberCannotJoinTheLine() {
        slot.applyRefused(acquireWaiting("w1", MALLORY, 30, 20), at(10), 403, "forbidden");
    }

    @Test
    void aWaiterWithAnInvalidTimeoutIsRefusedAtOnce() {
        slot.applyRefused(acquireWaiting("w1", CAROL, 0, 20), at(10), 400, "invalid_timeout");
    }

    @Test
    void aWaiterIsGrantedWithItsOwnTimeoutCountedFromTheGrant() {
        slot.apply(acquireWaiting("w1", CAROL, 45, 60), at(10));

        Outcome o = slot.apply(release("d1", BOB, held.token()), at(20));

        assertThat(o.otherReplies().get(0).lock().timeout()).isEqualTo(45);
        assertThat(o.otherReplies().get(0).lock().expireAt()).isEqualTo(at(65));
    }

    @Test
    void deletingTheSlotAfterTheHoldExpiredAnswersWaitersNotFound() {
        slot.apply(acquireWaiting("w1", CAROL, 30, 60), at(50));

        Outcome o = slot.apply(delete("x1", ALICE), at(61));

        assertThat(o.reply().status()).isEqualTo(204);
        assertThat(o.otherReplies()).singleElement().satisfies(r -> {
            assertThat(r.requestId()).isEqualTo("w1");
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.error()).isEqualTo("slot_not_found");
        });
        assertThat(o.state().waiters()).isEmpty();
        assertThat(o.state().hold()).isNull();
    }
}
