package io.mutexify.model.machine;

import static io.mutexify.model.machine.Fixture.ALICE;
import static io.mutexify.model.machine.Fixture.BOB;
import static io.mutexify.model.machine.Fixture.CAROL;
import static io.mutexify.model.machine.Fixture.MALLORY;
import static io.mutexify.model.machine.Fixture.ROOT;
import static io.mutexify.model.machine.Fixture.SLOT;
import static io.mutexify.model.machine.Fixture.acquireWaiting;
import static io.mutexify.model.machine.Fixture.assertRefusedUnchanged;
import static io.mutexify.model.machine.Fixture.at;
import static io.mutexify.model.machine.Fixture.breakLock;
import static io.mutexify.model.machine.Fixture.eventTypes;
import static io.mutexify.model.machine.Fixture.machine;
import static io.mutexify.model.machine.Fixture.release;
import static io.mutexify.model.machine.Fixture.tokenFor;
import static io.mutexify.model.machine.Fixture.unregistered;
import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.command.Actor;
import io.mutexify.model.event.EventType;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.HistoryEntry.EndReason;
import io.mutexify.model.slot.LockView;
import io.mutexify.model.slot.SlotState;
import org.junit.jupiter.api.Test;

/** Force-release by an owner or administrator. */
class BreakTest extends BobHoldsSlot {
    @Test
    void anOwnerMayBreakAndGetsThePublicViewOfTheBrokenLock() {
        Outcome o = slot.apply(breakLock("b1", ALICE, "stuck job"), at(10));

        assertThat(o.changed()).isTrue();
        assertThat(o.reply().status()).isEqualTo(200);
        assertThat(o.reply().lock()).isEqualTo(LockView.forPublic(SLOT, held));
        assertThat(o.reply().lock().token()).isNull();
        assertThat(o.state().hold()).isNull();
        assertThat(o.state().fence()).isEqualTo(1);
        assertThat(o.history()).containsExactly(new HistoryEntry(SLOT, 1, "bob", "bob", at(0), at(10),
                EndReason.BROKEN, "alice"));
        assertThat(eventTypes(o)).containsExactly(EventType.LOCK_BROKEN);
        assertThat(o.events().get(0).data().actor()).isEqualTo("alice");
        assertThat(o.events().get(0).data().principal()).isEqualTo("bob");
        assertThat(o.events().get(0).data().reason()).isEqualTo("stuck job");
    }

    @Test
    void anAdministratorWhoIsNotAnOwnerMayBreak() {
        Outcome o = slot.apply(breakLock("b1", ROOT, null), at(10));

        assertThat(o.reply().status()).isEqualTo(200);
        assertThat(o.history()).singleElement().satisfies(h -> {
            assertThat(h.endReason()).isEqualTo(EndReason.BROKEN);
            assertThat(h.endedBy()).isEqualTo("root");
        });
        assertThat(o.events().get(0).data().reason()).as("default reason").isEqualTo("broken");
    }

    @Test
    void aMemberWhoIsNotAnOwnerIsForbidden() {
        slot.applyRefused(breakLock("b1", CAROL, null), at(10), 403, "forbidden");
    }

    @Test
    void theHolderItselfIsForbiddenWhenNotAnOwner() {
        slot.applyRefused(breakLock("b1", BOB, null), at(10), 403, "forbidden");
    }

    @Test
    void anOutsiderIsForbidden() {
        slot.applyRefused(breakLock("b1", MALLORY, null), at(10), 403, "forbidden");
    }

    @Test
    void anOutsiderWhoseNameLooksLikeAnOwnerButIsNotAdminIsForbidden() {
        slot.applyRefused(breakLock("b1", new Actor("Alice", false), null), at(10), 403, "forbidden");
    }

    @Test
    void breakingAFreeSlotIsNotFound() {
        slot.apply(release("d1", BOB, held.token()), at(5));

        slot.applyRefused(breakLock("b1", ALICE, null), at(10), 404, "not_held");
    }

    @Test
    void breakingAnUnregisteredSlotIsNotFound() {
        SlotState before = unregistered();

        Outcome o = machine().apply(before, breakLock("b1", ROOT, null), at(0), "t");

        assertRefusedUnchanged(o, before, 404, "slot_not_found");
    }

    @Test
    void breakHandsTheSlotToTheOldestWaiter() {
        slot.apply(acquireWaiting("w1", CAROL, 30, 60), at(5));

        Outcome o = slot.apply(breakLock("b1", ALICE, null), at(10));

        assertThat(o.reply().status()).isEqualTo(200);
        assertThat(o.reply().lock().principal()).as("the reply names the broken lock").isEqualTo("bob");
        assertThat(o.otherReplies()).singleElement().satisfies(r -> {
            assertThat(r.requestId()).isEqualTo("w1");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.lock().fence()).isEqualTo(2);
            assertThat(r.lock().token()).isEqualTo(tokenFor("b1"));
        });
        assertThat(eventTypes(o)).containsExactly(EventType.LOCK_BROKEN, EventType.LOCK_ACQUIRED);
        assertThat(o.state().hold().principal()).isEqualTo("carol");
    }

    @Test
    void theBrokenHoldersTokenNoLongerWorks() {
        slot.apply(breakLock("b1", ALICE, null), at(10));

        slot.applyRefused(release("d1", BOB, held.token()), at(11), 404, "lock_not_found");
    }
}
