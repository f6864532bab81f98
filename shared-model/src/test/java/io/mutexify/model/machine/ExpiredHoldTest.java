package io.mutexify.model.machine;

import static io.mutexify.model.machine.Fixture.ALICE;
import static io.mutexify.model.machine.Fixture.BOB;
import static io.mutexify.model.machine.Fixture.CAROL;
import static io.mutexify.model.machine.Fixture.acquire;
import static io.mutexify.model.machine.Fixture.at;
import static io.mutexify.model.machine.Fixture.breakLock;
import static io.mutexify.model.machine.Fixture.delete;
import static io.mutexify.model.machine.Fixture.eventTypes;
import static io.mutexify.model.machine.Fixture.extend;
import static io.mutexify.model.machine.Fixture.release;
import static io.mutexify.model.machine.Fixture.tokenFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.command.Actor;
import io.mutexify.model.event.EventType;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.HistoryEntry.EndReason;
import io.mutexify.model.slot.SlotState;
import org.junit.jupiter.api.Test;

/** A hold past {@code expireAt} is free for every operation, before its Expire timer has run. */
class ExpiredHoldTest extends BobHoldsSlot {
    @Test
    void acquireAtExactlyExpireAtSucceedsAndRecordsTheExpiry() {
        Outcome o = slot.apply(acquire("r2", CAROL, 30), at(60));

        assertThat(o.reply().status()).isEqualTo(200);
        assertThat(o.reply().lock().principal()).isEqualTo("carol");
        assertThat(o.reply().lock().token()).isEqualTo(tokenFor("r2"));
        assertThat(o.reply().lock().fence()).isEqualTo(held.fence() + 1);
        assertThat(o.state().fence()).isEqualTo(2);

        assertThat(o.history()).containsExactly(new HistoryEntry(Fixture.SLOT, 1, "bob", "bob", at(0), at(60),
                EndReason.EXPIRED, Actor.SYSTEM.principal()));
        assertThat(eventTypes(o)).containsExactly(EventType.LOCK_EXPIRED, EventType.LOCK_ACQUIRED);
        LockEvent expiredEvent = o.events().get(0);
        assertThat(expiredEvent.data().fence()).isEqualTo(1L);
        assertThat(expiredEvent.data().principal()).isEqualTo("bob");
        assertThat(expiredEvent.data().expireAt()).isEqualTo(at(60));
        assertThat(expiredEvent.data().actor()).isEqualTo("system");
        assertThat(expiredEvent.data().reason()).isEqualTo("timeout");
        assertThat(o.events()).extracting(LockEvent::id).doesNotHaveDuplicates();
    }

    @Test
    void historyEndsAtExpireAtEvenWhenNoticedMuchLater() {
        Outcome o = slot.apply(acquire("r2", CAROL, 30), at(500));

        assertThat(o.history()).singleElement().satisfies(h -> {
            assertThat(h.endedAt()).isEqualTo(at(60));
            assertThat(h.acquiredAt()).isEqualTo(at(0));
            assertThat(h.endReason()).isEqualTo(EndReason.EXPIRED);
        });
        assertThat(o.reply().lock().createdAt()).isEqualTo(at(500));
        assertThat(o.reply().lock().expireAt()).isEqualTo(at(530));
    }

    @Test
    void theHolderMayAcquireAgainAfterExpiryAndGetsANewFenceAndToken() {
        Outcome o = slot.apply(acquire("r2", BOB, 30), at(61));

        assertThat(o.reply().status()).isEqualTo(200);
        assertThat(o.reply().lock().fence()).isEqualTo(2);
        assertThat(o.reply().lock().token()).isNotEqualTo(held.token());
    }

    @Test
    void oneInstantBeforeExpireAtTheHoldStillCounts() {
        slot.applyRefused(acquire("r2", CAROL, 30), at(60).minusNanos(1), 409, "locked");
    }

    @Test
    void extendingAnExpiredHoldIsNotFoundButTheExpiryIsRecorded() {
        SlotState before = slot.state();

        Outcome o = slot.apply(extend("r2", BOB, held.token(), 60), at(60));

        assertThat(o.reply().status()).isEqualTo(404);
        assertThat(o.reply().error()).isEqualTo("lock_not_found");
        assertSettledOnly(o, before);
    }

    @Test
    void releasingAnExpiredHoldIsNotFoundButTheExpiryIsRecorded() {
        SlotState before = slot.state();

        Outcome o = slot.apply(release("r2", BOB, held.token()), at(90));

        assertThat(o.reply().status()).isEqualTo(404);
        assertThat(o.reply().error()).isEqualTo("lock_not_found");
        assertSettledOnly(o, before);
    }

    @Test
    void breakingAnExpiredHoldFindsNothingHeld() {
        SlotState before = slot.state();

        Outcome o = slot.apply(breakLock("r2", ALICE, null), at(60));

        assertThat(o.reply().status()).isEqualTo(404);
        assertThat(o.reply().error()).isEqualTo("not_held");
        assertSettledOnly(o, before);
    }

    @Test
    void deletingASlotWhoseHoldExpiredIsAllowed() {
        Outcome o = slot.apply(delete("r2", ALICE), at(60));

        assertThat(o.reply().status()).isEqualTo(204);
        assertThat(o.history()).extracting(HistoryEntry::endReason).containsExactly(EndReason.EXPIRED);
        assertThat(eventTypes(o)).containsExactly(EventType.LOCK_EXPIRED, EventType.SLOT_DELETED);
        assertThat(o.state().isRegistered()).isFalse();
        assertThat(o.state().hold()).isNull();
        assertThat(o.state().fence()).isEqualTo(1);
    }

    /** The command itself was refused; only the settlement of the expired hold changed the slot. */
    private static void assertSettledOnly(Outcome o, SlotState before) {
        assertThat(o.changed()).isTrue();
        assertThat(o.state()).isEqualTo(before.withHold(null).withEventSeq(before.eventSeq() + 1));
        assertThat(o.history()).extracting(HistoryEntry::endReason).containsExactly(EndReason.EXPIRED);
        assertThat(eventTypes(o)).containsExactly(EventType.LOCK_EXPIRED);
        assertThat(o.timers()).isEmpty();
        assertThat(o.otherReplies()).isEmpty();
    }
}
