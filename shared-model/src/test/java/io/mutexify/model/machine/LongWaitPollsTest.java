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

import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.command.SlotCommand.CancelWait;
import io.mutexify.model.command.SlotCommand.CheckPolls;
import io.mutexify.model.command.SlotCommand.EndWait;
import io.mutexify.model.command.SlotCommand.StillWaiting;
import io.mutexify.model.machine.Fixture.Driver;
import io.mutexify.model.slot.Hold;
import io.mutexify.model.slot.SlotState;
import io.mutexify.model.slot.Waiter;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A long wait stays in line while its client polls: each poll moves its deadline to the end of the
 * poll's call plus the grace (30 s by default). Past the deadline the waiter leaves the line with an
 * answer, is never granted, and a retry of its request gets that same answer. A long wait its
 * caller withdraws leaves the same way, with an answer of its own.
 */
class LongWaitPollsTest {
    /** The first call of a long wait is held 70 s (60 s of wait plus a 10 s reply timeout). */
    private static final int FIRST_CALL = 70;
    private static final int GRACE = 30;

    private Driver slot;
    private Hold bobs;

    @BeforeEach
    void bobHolds() {
        slot = Driver.registeredSlot();
        bobs = slot.hold("r1", BOB, 3600, at(0));
    }

    private static Acquire longWait(String rid, io.mutexify.model.command.Actor actor) {
        return acquireWaiting(rid, actor, 60, 7200).asLongWait(FIRST_CALL);
    }

    private Waiter waiter(String rid) {
        return slot.state().waiters().stream().filter(w -> w.requestId().equals(rid)).findFirst().orElseThrow();
    }

    @Test
    void aLongWaitIsDueToBePolledByTheEndOfItsFirstCallPlusTheGrace() {
        Outcome o = slot.apply(longWait("w1", CAROL), at(10));

        Instant due = at(10 + FIRST_CALL + GRACE);
        assertThat(o.reply()).as("it waits").isNull();
        assertThat(waiter("w1").pollBy()).isEqualTo(due);
        assertThat(waiter("w1").pollCheckAt()).isEqualTo(due);
        assertThat(o.timers()).containsExactlyInAnyOrder(
                new ScheduledCommand(at(10 + 7200), EndWait.of(SLOT, "w1", at(10 + 7200))),
                new ScheduledCommand(due, CheckPolls.of(SLOT, "w1", due)));
    }

    @Test
    void aPollMovesTheDeadlineToTheEndOfItsCallPlusTheGraceAndSchedulesNothing() {
        slot.apply(longWait("w1", CAROL), at(10));

        Outcome o = slot.apply(StillWaiting.of(SLOT, CAROL, "w1", 20), at(90));

        assertThat(o.changed()).isTrue();
        assertThat(o.reply()).isNull();
        assertThat(o.otherReplies()).isEmpty();
        assertThat(o.events()).isEmpty();
        assertThat(o.timers()).as("the check timer moves lazily").isEmpty();
        assertThat(waiter("w1").pollBy()).isEqualTo(at(90 + 20 + GRACE));
        assertThat(waiter("w1").pollCheckAt()).as("the armed check stays").isEqualTo(at(10 + FIRST_CALL + GRACE));
    }

    @Test
    void aPollNeverMovesTheDeadlineBackNorTouchesAnotherPrincipalsWaitNorAOneCallWait() {
        slot.apply(longWait("w1", CAROL), at(10));
        slot.apply(acquireWaiting("w2", DAVE, 60, 50), at(11));
        SlotState before = slot.state();

        assertUntouched(slot.apply(StillWaiting.of(SLOT, CAROL, "w1", 0), at(20)), before);
        assertUntouched(slot.apply(StillWaiting.of(SLOT, DAVE, "w1", 60), at(20)), before);
        assertUntouched(slot.apply(StillWaiting.of(SLOT, DAVE, "w2", 60), at(20)), before);
        assertUntouched(slot.apply(StillWaiting.of(SLOT, CAROL, "nobody", 60), at(20)), before);
    }

    @Test
    void aPolledWaitStaysInLineAndIsGrantedWhenTheHolderReleases() {
        slot.apply(longWait("w1", CAROL), at(10));
        for (int t = 70; t < 400; t += 40) {
            slot.apply(StillWaiting.of(SLOT, CAROL, "w1", 20), at(t));
            Waiter w = waiter("w1");
            // The timer fires at the deadline it was set for and is set again for the moved one.
            Outcome check = slot.apply(CheckPolls.of(SLOT, "w1", w.pollCheckAt()), w.pollCheckAt().isAfter(at(t)) ? w.pollCheckAt() : at(t));
            assertThat(check.state().waiters()).extracting(Waiter::requestId).containsExactly("w1");
        }

        Outcome o = slot.apply(release("d1", BOB, bobs.token()), at(401));

        assertThat(o.state().hold().id()).isEqualTo("w1");
        assertThat(o.otherReplies()).extracting(Reply::requestId, Reply::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("w1", 200));
    }

    @Test
    void theCheckAtAnUnmovedDeadlineTakesTheWaiterOutWithAnAnswerAndARetryGetsThatAnswer() {
        slot.apply(longWait("w1", CAROL), at(10));
        Instant due = waiter("w1").pollBy();

        Outcome o = slot.apply(CheckPolls.of(SLOT, "w1", due), due);

        assertThat(o.state().waiters()).isEmpty();
        assertThat(o.otherReplies()).singleElement().satisfies(r -> {
            assertThat(r.requestId()).isEqualTo("w1");
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.error()).isEqualTo("locked");
            assertThat(r.message()).contains("not polled within 30 s");
        });
        assertThat(o.state().endedWait("w1")).isPresent();

        Outcome retry = slot.apply(longWait("w1", CAROL), due.plusSeconds(5));
        assertThat(retry.reply()).as("one answer per request").isEqualTo(o.otherReplies().get(0));
        assertThat(retry.state().waiters()).as("the retry does not join the line again").isEmpty();
    }

    @Test
    void aWaitPastItsDeadlineIsNeverGrantedEvenBeforeItsTimerFires() {
        slot.apply(longWait("w1", CAROL), at(10));
        slot.apply(acquireWaiting("w2", DAVE, 60, 600), at(11));
        Instant due = waiter("w1").pollBy();

        Outcome o = slot.apply(release("d1", BOB, bobs.token()), due.plusMillis(1));

        assertThat(o.state().hold().id()).as("the next live waiter").isEqualTo("w2");
        assertThat(o.otherReplies()).extracting(Reply::requestId, Reply::status).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("w1", 409), org.assertj.core.groups.Tuple.tuple("w2", 200));

        SlotState after = slot.state();
        assertUntouched(slot.apply(CheckPolls.of(SLOT, "w1", due), due.plusSeconds(1)), after);
    }

    @Test
    void aMovedCheckIsSetOnceAndItsStaleCopiesDoNothing() {
        slot.apply(longWait("w1", CAROL), at(10));
        Instant firstCheck = waiter("w1").pollCheckAt();
        slot.apply(StillWaiting.of(SLOT, CAROL, "w1", 20), at(90));
        Instant moved = waiter("w1").pollBy();

        Outcome fired = slot.apply(CheckPolls.of(SLOT, "w1", firstCheck), firstCheck);

        assertThat(fired.changed()).isTrue();
        assertThat(fired.timers()).containsExactly(new ScheduledCommand(moved, CheckPolls.of(SLOT, "w1", moved)));
        assertThat(waiter("w1").pollCheckAt()).isEqualTo(moved);
        SlotState rearmed = slot.state();
        assertUntouched(slot.apply(CheckPolls.of(SLOT, "w1", firstCheck), firstCheck.plusSeconds(1)), rearmed);
    }

    @Test
    void aCheckThatFiresEarlyIsSetAgainForTheSameTime() {
        slot.apply(longWait("w1", CAROL), at(10));
        Instant due = waiter("w1").pollCheckAt();
        SlotState before = slot.state();

        Outcome early = slot.apply(CheckPolls.of(SLOT, "w1", due), due.minusSeconds(1));

        assertThat(early.changed()).isFalse();
        assertThat(early.state()).isEqualTo(before);
        assertThat(early.timers()).containsExactly(new ScheduledCommand(due, CheckPolls.of(SLOT, "w1", due)));
    }

    @Test
    void aPollRedeliveredOrArrivingAfterTheGrantChangesNothingHarmful() {
        slot.apply(longWait("w1", CAROL), at(10));
        slot.apply(StillWaiting.of(SLOT, CAROL, "w1", 20), at(90));
        SlotState polled = slot.state();
        assertUntouched(slot.apply(StillWaiting.of(SLOT, CAROL, "w1", 20), at(90)), polled);

        slot.apply(release("d1", BOB, bobs.token()), at(100));
        SlotState granted = slot.state();
        assertThat(granted.hold().id()).isEqualTo("w1");
        assertUntouched(slot.apply(StillWaiting.of(SLOT, CAROL, "w1", 20), at(101)), granted);
    }

    @Test
    void aRetryOfALongWaitStillInLineKeepsItsPlaceAndCountsAsAPoll() {
        slot.apply(longWait("w1", CAROL), at(10));
        slot.apply(longWait("w2", DAVE), at(11));

        Outcome retry = slot.apply(longWait("w1", CAROL), at(100));

        assertThat(retry.reply()).isNull();
        assertThat(retry.state().waiters()).extracting(Waiter::requestId).containsExactly("w1", "w2");
        assertThat(waiter("w1").pollBy()).isEqualTo(at(100 + FIRST_CALL + GRACE));
    }

    @Test
    void aWithdrawnLongWaitLeavesWithItsOwnStoredAnswerWhichARetryAndARedeliveryGetAgainAndIsNeverGranted() {
        slot.apply(longWait("w1", CAROL), at(10));
        slot.apply(longWait("w2", DAVE), at(11));

        Outcome o = slot.apply(CancelWait.withdrawn(SLOT, CAROL, "w1"), at(20));

        assertThat(o.state().waiters()).extracting(Waiter::requestId).containsExactly("w2");
        assertThat(o.reply()).as("the withdraw itself is nobody's request").isNull();
        assertThat(o.events()).isEmpty();
        Reply answer = o.otherReplies().get(0);
        assertThat(o.otherReplies()).as("the waiting acquire's own answer, for its reply route").containsExactly(answer);
        assertThat(answer.requestId()).isEqualTo("w1");
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.error()).isEqualTo("locked");
        assertThat(answer.message()).contains("cancelled");
        assertThat(answer.lock().owner()).as("names who holds it").isEqualTo(bobs.owner());
        assertThat(o.state().endedWait("w1")).as("remembered for retries").isPresent();

        SlotState withdrawn = slot.state();
        Outcome again = slot.apply(CancelWait.withdrawn(SLOT, CAROL, "w1"), at(21));
        assertThat(again.changed()).as("a redelivered withdraw changes nothing").isFalse();
        assertThat(again.state()).isEqualTo(withdrawn);
        assertThat(again.otherReplies()).as("and sends the same answer again").containsExactly(answer);

        Outcome retry = slot.apply(longWait("w1", CAROL), at(22));
        assertThat(retry.reply()).as("one answer per request").isEqualTo(answer);
        assertThat(retry.state().waiters()).extracting(Waiter::requestId).containsExactly("w2");

        Outcome released = slot.apply(release("d1", BOB, bobs.token()), at(30));
        assertThat(released.state().hold().id()).as("the next live waiter, never the withdrawn one").isEqualTo("w2");
        assertThat(released.otherReplies()).extracting(Reply::requestId).containsExactly("w2");
    }

    @Test
    void aWithdrawByAnotherPrincipalOrAfterTheGrantChangesNothingAndAnswersNothing() {
        slot.apply(longWait("w1", CAROL), at(10));
        SlotState waiting = slot.state();
        assertUntouched(slot.apply(CancelWait.withdrawn(SLOT, DAVE, "w1"), at(20)), waiting);

        slot.apply(release("d1", BOB, bobs.token()), at(30));
        SlotState granted = slot.state();
        assertUntouched(slot.apply(CancelWait.withdrawn(SLOT, CAROL, "w1"), at(31)), granted);
        assertThat(granted.hold().id()).as("the grant is its answer and stands").isEqualTo("w1");
    }

    @Test
    void aClosedCallStillLeavesALongWaitUnanswered() {
        slot.apply(longWait("w1", CAROL), at(10));

        Outcome o = slot.apply(CancelWait.of(SLOT, CAROL, "w1"), at(20));

        assertThat(o.state().waiters()).isEmpty();
        assertThat(o.otherReplies()).isEmpty();
        assertThat(o.state().endedWait("w1")).isEmpty();
    }

    @Test
    void theGraceComesFromThePolicy() {
        Driver quick = new Driver(new SlotMachine(Policy.defaults().withPollGrace(java.time.Duration.ofSeconds(2))),
                Fixture.registered());
        quick.hold("r1", BOB, 3600, at(0));

        quick.apply(longWait("w1", CAROL), at(10));

        assertThat(quick.state().waiters().get(0).pollBy()).isEqualTo(at(10 + FIRST_CALL + 2));
    }
}
