package io.mutexify.model.machine;

import static io.mutexify.model.machine.Fixture.ALICE;
import static io.mutexify.model.machine.Fixture.BOB;
import static io.mutexify.model.machine.Fixture.CAROL;
import static io.mutexify.model.machine.Fixture.SLOT;
import static io.mutexify.model.machine.Fixture.acquireWaiting;
import static io.mutexify.model.machine.Fixture.assertUntouched;
import static io.mutexify.model.machine.Fixture.at;
import static io.mutexify.model.machine.Fixture.delete;
import static io.mutexify.model.machine.Fixture.endWait;
import static io.mutexify.model.machine.Fixture.eventTypes;
import static io.mutexify.model.machine.Fixture.expire;
import static io.mutexify.model.machine.Fixture.expireTimer;
import static io.mutexify.model.machine.Fixture.extend;
import static io.mutexify.model.machine.Fixture.release;
import static io.mutexify.model.machine.Fixture.tokenFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand.EndWait;
import io.mutexify.model.command.SlotCommand.Expire;
import io.mutexify.model.event.EventType;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.HistoryEntry.EndReason;
import io.mutexify.model.slot.Hold;
import io.mutexify.model.slot.SlotState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The Expire and EndWait commands the machine schedules for itself. */
class TimersTest extends BobHoldsSlot {
    private Expire expireHeld;

    @BeforeEach
    void expiryOfBobsHold() {
        expireHeld = expire(held.fence(), held.expireAt());
    }

    @Nested
    class ExpireTimer {
        @Test
        void theGrantSchedulesTheExpireTimerItWillReceive() {
            assertThat(expireTimer(held)).isEqualTo(new ScheduledCommand(at(60), expireHeld));
            assertThat(expireHeld.fromClient()).isFalse();
        }

        @Test
        void expireOnTimeEndsTheHold() {
            Outcome o = slot.apply(expireHeld, at(60));

            assertThat(o.changed()).isTrue();
            assertThat(o.reply()).as("no client waits for a timer").isNull();
            assertThat(o.state().hold()).isNull();
            assertThat(o.state().fence()).isEqualTo(1);
            assertThat(o.history()).containsExactly(new HistoryEntry(SLOT, 1, "bob", "bob", at(0), at(60),
                    EndReason.EXPIRED, "system"));
            assertThat(eventTypes(o)).containsExactly(EventType.LOCK_EXPIRED);
            LockEvent e = o.events().get(0);
            assertThat(e.id()).as("after the grant's event").isEqualTo(SLOT + "#2");
            assertThat(e.data().actor()).isEqualTo("system");
            assertThat(e.data().reason()).isEqualTo("timeout");
            assertThat(o.timers()).isEmpty();
            assertThat(o.otherReplies()).isEmpty();
        }

        @Test
        void expireThatRunsLateStillEndsTheHoldAtExpireAt() {
            Outcome o = slot.apply(expireHeld, at(3600));

            assertThat(o.history()).extracting(HistoryEntry::endedAt).containsExactly(at(60));
        }

        @Test
        void expireThatFiresEarlyReArmsItselfAndChangesNothing() {
            SlotState before = slot.state();

            Outcome o = slot.apply(expireHeld, at(59));

            assertThat(o.changed()).isFalse();
            assertThat(o.state()).isEqualTo(before);
            assertThat(o.timers()).containsExactly(new ScheduledCommand(at(60), expireHeld));
            assertThat(o.events()).isEmpty();
            assertThat(o.history()).isEmpty();
            assertThat(o.otherReplies()).isEmpty();
            assertThat(o.reply()).isNull();
        }

        @Test
        void expireForAnOldExpireAtAfterAnExtendIsANoOp() {
            slot.apply(extend("x1", BOB, held.token(), 120), at(30)); // now expires at t=150
            SlotState before = slot.state();

            Outcome o = slot.apply(expireHeld, at(60));

            assertUntouched(o, before);
            assertThat(o.state().hold().expireAt()).isEqualTo(at(150));
        }

        @Test
        void theExpireScheduledByAnExtendEndsTheHoldAtTheNewExpiry() {
            Outcome extended = slot.apply(extend("x1", BOB, held.token(), 120), at(30));
            Expire next = (Expire) extended.timers().get(0).command();

            Outcome o = slot.apply(next, at(150));

            assertThat(o.history()).extracting(HistoryEntry::endedAt).containsExactly(at(150));
            assertThat(o.state().hold()).isNull();
        }

        @Test
        void expireForAnOldFenceIsANoOp() {
            slot.apply(release("d1", BOB, held.token()), at(10));
            Hold next = slot.hold("r2", CAROL, 300, at(20));
            SlotState before = slot.state();

            Outcome o = slot.apply(expireHeld, at(60));

            assertUntouched(o, before);
            assertThat(o.state().hold()).isEqualTo(next);
        }

        @Test
        void expireForAnOldFenceWithTheSameExpireAtIsANoOp() {
            slot.apply(release("d1", BOB, held.token()), at(10));
            slot.hold("r2", CAROL, 50, at(10)); // fence 2, also expires at t=60
            SlotState before = slot.state();

            Outcome o = slot.apply(expireHeld, at(59));

            assertUntouched(o, before);
        }

        @Test
        void expireAfterReleaseIsANoOp() {
            slot.apply(release("d1", BOB, held.token()), at(10));
            SlotState before = slot.state();

            Outcome o = slot.apply(expireHeld, at(60));

            assertUntouched(o, before);
        }

        @Test
        void expireAfterTheSlotWasDeletedIsANoOp() {
            slot.apply(release("d1", BOB, held.token()), at(10));
            slot.apply(delete("x1", ALICE), at(11));
            SlotState before = slot.state();

            Outcome o = slot.apply(expireHeld, at(60));

            assertUntouched(o, before);
        }

        @Test
        void theSameExpireDeliveredTwiceChangesNothingTheSecondTime() {
            slot.apply(expireHeld, at(60));
            SlotState before = slot.state();

            Outcome o = slot.apply(expireHeld, at(61));

            assertUntouched(o, before);
        }

        @Test
        void expireHandsTheSlotToTheOldestWaiter() {
            slot.apply(acquireWaiting("w1", CAROL, 30, 60), at(30)); // waits until t=90

            Outcome o = slot.apply(expireHeld, at(60));

            assertThat(o.otherReplies()).singleElement().satisfies(r -> {
                assertThat(r.requestId()).isEqualTo("w1");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.lock().fence()).isEqualTo(2);
                assertThat(r.lock().token()).isEqualTo(tokenFor(expireHeld.requestId()));
                assertThat(r.lock().expireAt()).isEqualTo(at(90));
            });
            assertThat(eventTypes(o)).containsExactly(EventType.LOCK_EXPIRED, EventType.LOCK_ACQUIRED);
            assertThat(o.events()).extracting(LockEvent::id).doesNotHaveDuplicates();
            assertThat(o.timers()).containsExactly(expireTimer(o.state().hold()));
            assertThat(o.state().waiters()).isEmpty();
        }
    }

    @Nested
    class EndWaitTimer {
        private EndWait endW1;

        @BeforeEach
        void carolWaitsTwentySeconds() {
            Outcome o = slot.apply(acquireWaiting("w1", CAROL, 30, 20), at(10)); // waits until t=30
            endW1 = (EndWait) o.timers().get(0).command();
        }

        @Test
        void theTimerNamesTheWaiterAndTheEndOfItsWait() {
            assertThat(endW1).isEqualTo(endWait("w1", at(30)));
            assertThat(endW1.fromClient()).isFalse();
        }

        @Test
        void endWaitThatFiresEarlyReArmsItselfAndChangesNothing() {
            SlotState before = slot.state();

            Outcome o = slot.apply(endW1, at(29));

            assertThat(o.changed()).isFalse();
            assertThat(o.state()).isEqualTo(before);
            assertThat(o.timers()).containsExactly(new ScheduledCommand(at(30), endW1));
            assertThat(o.otherReplies()).isEmpty();
            assertThat(o.events()).isEmpty();
        }

        @Test
        void endWaitForAWaiterThatWasGrantedIsANoOp() {
            slot.apply(release("d1", BOB, held.token()), at(15));
            SlotState before = slot.state();

            Outcome o = slot.apply(endW1, at(30));

            assertUntouched(o, before);
            assertThat(o.state().hold().principal()).isEqualTo("carol");
        }

        @Test
        void endWaitDeliveredTwiceAnswersTheWaiterOnlyOnce() {
            Outcome first = slot.apply(endW1, at(30));
            assertThat(first.otherReplies()).extracting(Reply::requestId).containsExactly("w1");
            SlotState before = slot.state();

            Outcome second = slot.apply(endW1, at(31));

            assertUntouched(second, before);
        }

        @Test
        void endWaitAfterTheHoldExpiredGivesNothingToAWaiterWhoseWaitEnded() {
            // Carol's wait ends at t=30, before Bob's hold expires at t=60; the slot stays free.
            Outcome o = slot.apply(endW1, at(70));

            assertThat(o.otherReplies()).singleElement().satisfies(r -> {
                assertThat(r.requestId()).isEqualTo("w1");
                assertThat(r.status()).isEqualTo(409);
            });
            assertThat(o.state().hold()).isNull();
            assertThat(o.state().fence()).isEqualTo(1);
            assertThat(eventTypes(o)).containsExactly(EventType.LOCK_EXPIRED);
        }
    }
}
