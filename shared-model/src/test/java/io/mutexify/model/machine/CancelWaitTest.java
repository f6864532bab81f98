package io.mutexify.model.machine;

import static io.mutexify.model.machine.Fixture.BOB;
import static io.mutexify.model.machine.Fixture.CAROL;
import static io.mutexify.model.machine.Fixture.DAVE;
import static io.mutexify.model.machine.Fixture.SLOT;
import static io.mutexify.model.machine.Fixture.acquireWaiting;
import static io.mutexify.model.machine.Fixture.assertUntouched;
import static io.mutexify.model.machine.Fixture.at;
import static io.mutexify.model.machine.Fixture.release;
import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.command.SlotCommand.CancelWait;
import io.mutexify.model.slot.SlotState;
import io.mutexify.model.slot.Waiter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A waiter whose call closed before its answer leaves the line and is never granted. */
class CancelWaitTest extends BobHoldsSlot {
    @BeforeEach
    void carolAndDaveWaitBehindBob() {
        slot.apply(acquireWaiting("w1", CAROL, 30, 40), at(1));
        slot.apply(acquireWaiting("w2", DAVE, 30, 40), at(2));
    }

    @Test
    void theWaiterLeavesTheLineWithoutAnAnswerOrAnEvent() {
        Outcome o = slot.apply(CancelWait.of(SLOT, CAROL, "w1"), at(3));

        assertThat(o.changed()).isTrue();
        assertThat(o.state().waiters()).extracting(Waiter::requestId).containsExactly("w2");
        assertThat(o.reply()).isNull();
        assertThat(o.otherReplies()).as("nobody is listening for w1 any more").isEmpty();
        assertThat(o.events()).isEmpty();
        assertThat(o.state().endedWait("w1")).as("no answer to remember").isEmpty();
    }

    @Test
    void theLockGoesToTheNextLiveWaiterNeverToTheCancelledOne() {
        slot.apply(CancelWait.of(SLOT, CAROL, "w1"), at(3));

        Outcome o = slot.apply(release("d1", BOB, held.token()), at(4));

        assertThat(o.state().hold().id()).isEqualTo("w2");
        assertThat(o.otherReplies()).extracting(Reply::requestId).containsExactly("w2");
    }

    @Test
    void withNoOtherWaiterTheSlotGoesFree() {
        slot.apply(CancelWait.of(SLOT, CAROL, "w1"), at(3));
        slot.apply(CancelWait.of(SLOT, DAVE, "w2"), at(3));

        Outcome o = slot.apply(release("d1", BOB, held.token()), at(4));

        assertThat(o.state().hold()).isNull();
        assertThat(o.otherReplies()).isEmpty();
    }

    @Test
    void onlyTheWaitersOwnCallerCancelsIt() {
        SlotState before = slot.state();

        assertUntouched(slot.apply(CancelWait.of(SLOT, DAVE, "w1"), at(3)), before);
    }

    @Test
    void aCancelAfterTheGrantOrARedeliveredOneChangesNothing() {
        slot.apply(release("d1", BOB, held.token()), at(3)); // w1 is granted first
        SlotState granted = slot.state();

        assertUntouched(slot.apply(CancelWait.of(SLOT, CAROL, "w1"), at(4)), granted);
        slot.apply(CancelWait.of(SLOT, DAVE, "w2"), at(5));
        SlotState cancelled = slot.state();
        assertUntouched(slot.apply(CancelWait.of(SLOT, DAVE, "w2"), at(6)), cancelled);
        assertThat(cancelled.hold().id()).as("the grant stands; the lock expires if nobody uses it").isEqualTo("w1");
    }

    @Test
    void aRetryAfterTheCancelAsksAgainFromTheBackOfTheLine() {
        slot.apply(CancelWait.of(SLOT, CAROL, "w1"), at(3));

        Outcome retry = slot.apply(acquireWaiting("w1", CAROL, 30, 40), at(4));

        assertThat(retry.reply()).isNull();
        assertThat(retry.state().waiters()).extracting(Waiter::requestId).containsExactly("w2", "w1");
    }
}
