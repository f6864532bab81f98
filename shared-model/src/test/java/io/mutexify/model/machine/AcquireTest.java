package io.mutexify.model.machine;

import static io.mutexify.model.machine.Fixture.ALICE;
import static io.mutexify.model.machine.Fixture.BOB;
import static io.mutexify.model.machine.Fixture.CAROL;
import static io.mutexify.model.machine.Fixture.DEFAULT_TIMEOUT;
import static io.mutexify.model.machine.Fixture.MALLORY;
import static io.mutexify.model.machine.Fixture.MAX_TIMEOUT;
import static io.mutexify.model.machine.Fixture.ROOT;
import static io.mutexify.model.machine.Fixture.SLOT;
import static io.mutexify.model.machine.Fixture.VERSION;
import static io.mutexify.model.machine.Fixture.acquire;
import static io.mutexify.model.machine.Fixture.assertRefusedUnchanged;
import static io.mutexify.model.machine.Fixture.at;
import static io.mutexify.model.machine.Fixture.eventTypes;
import static io.mutexify.model.machine.Fixture.expireTimer;
import static io.mutexify.model.machine.Fixture.machine;
import static io.mutexify.model.machine.Fixture.machineWithoutAutoRegister;
import static io.mutexify.model.machine.Fixture.registered;
import static io.mutexify.model.machine.Fixture.release;
import static io.mutexify.model.machine.Fixture.tokenFor;
import static io.mutexify.model.machine.Fixture.unregistered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mutexify.model.command.Actor;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.event.EventType;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.machine.Fixture.Driver;
import io.mutexify.model.slot.Hold;
import io.mutexify.model.slot.LockView;
import io.mutexify.model.slot.SlotConfig;
import io.mutexify.model.slot.SlotState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AcquireTest {

    @Test
    void acquireOnFreeSlotGrantsTheFreshTokenAndFenceOne() {
        SlotState before = registered();
        Instant now = at(0);

        Outcome o = machine().apply(before, acquire("r1", BOB, 120), now, "fresh-token-xyz");

        assertThat(o.changed()).isTrue();
        Reply reply = o.reply();
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.requestId()).isEqualTo("r1");
        assertThat(reply.slotId()).isEqualTo(SLOT);
        assertThat(reply.isError()).isFalse();
        LockView lock = reply.lock();
        assertThat(lock.token()).isEqualTo("fresh-token-xyz");
        assertThat(lock.fence()).isEqualTo(1);
        assertThat(lock.id()).isEqualTo("r1");
        assertThat(lock.resource()).isEqualTo(SLOT);
        assertThat(lock.owner()).as("owner defaults to the caller").isEqualTo("bob");
        assertThat(lock.principal()).isEqualTo("bob");
        assertThat(lock.timeout()).isEqualTo(120);
        assertThat(lock.createdAt()).isEqualTo(now);
        assertThat(lock.updatedAt()).isEqualTo(now);
        assertThat(lock.expireAt()).isEqualTo(now.plusSeconds(120));

        SlotState after = o.state();
        assertThat(after.fence()).isEqualTo(1);
        assertThat(after.version()).as("the machine never bumps the store version").isEqualTo(VERSION);
        assertThat(after.config()).isEqualTo(before.config());
        assertThat(after.waiters()).isEmpty();
        Hold hold = after.hold();
        assertThat(hold.token()).isEqualTo("fresh-token-xyz");
        assertThat(hold.fence()).isEqualTo(1);
        assertThat(hold.expireAt()).isEqualTo(now.plusSeconds(120));
        assertThat(LockView.forHolder(SLOT, hold)).isEqualTo(lock);

        assertThat(o.timers()).containsExactly(expireTimer(hold));
        assertThat(o.history()).isEmpty();
        assertThat(o.otherReplies()).isEmpty();
        assertThat(o.events()).hasSize(1);
        LockEvent event = o.events().get(0);
        assertThat(event.type()).isEqualTo(EventType.LOCK_ACQUIRED);
        assertThat(event.slotId()).isEqualTo(SLOT);
        assertThat(event.time()).isEqualTo(now);
        assertThat(event.id()).as("the slot's first event").isEqualTo(SLOT + "#1");
        assertThat(event.data().fence()).isEqualTo(1L);
        assertThat(event.data().owner()).isEqualTo("bob");
        assertThat(event.data().principal()).isEqualTo("bob");
        assertThat(event.data().expireAt()).isEqualTo(now.plusSeconds(120));
        assertThat(event.data().actor()).isEqualTo("bob");
    }

    @Test
    void acquireWithoutTimeoutUsesTheSlotDefault() {
        Outcome o = machine().apply(registered(), acquire("r1", BOB), at(0), "t");

        assertThat(o.reply().lock().timeout()).isEqualTo(DEFAULT_TIMEOUT);
        assertThat(o.reply().lock().expireAt()).isEqualTo(at(DEFAULT_TIMEOUT));
    }

    @Test
    void ownerLabelAndMetadataAreKeptOnTheLock() {
        Acquire c = new Acquire("r1", SLOT, BOB, "runner-42", 30, List.of("job=7", "sha=abc"), 0);

        Outcome o = machine().apply(registered(), c, at(0), "t");

        assertThat(o.reply().lock().owner()).isEqualTo("runner-42");
        assertThat(o.reply().lock().principal()).isEqualTo("bob");
        assertThat(o.reply().lock().metadata()).containsExactly("job=7", "sha=abc");
        assertThat(o.state().hold().owner()).isEqualTo("runner-42");
        assertThat(o.events().get(0).data().owner()).isEqualTo("runner-42");
    }

    @Test
    void secondAcquireByAnotherIsLockedNamingTheHolderWithoutItsToken() {
        Driver slot = Driver.registeredSlot();
        Hold held = slot.hold("r1", BOB, 300, at(0));

        Outcome o = slot.applyRefused(acquire("r2", CAROL, 30), at(10), 409, "locked");

        assertThat(o.reply().requestId()).isEqualTo("r2");
        LockView holder = o.reply().lock();
        assertThat(holder).isEqualTo(LockView.forPublic(SLOT, held));
        assertThat(holder.token()).isNull();
        assertThat(holder.principal()).isEqualTo("bob");
        assertThat(holder.owner()).isEqualTo("bob");
        assertThat(holder.fence()).isEqualTo(1);
        assertThat(holder.expireAt()).isEqualTo(at(300));
    }

    @Test
    void theHolderAcquiringAgainIsAlsoRefusedAndKeepsItsLock() {
        Driver slot = Driver.registeredSlot();
        Hold held = slot.hold("r1", BOB, 300, at(0));

        slot.applyRefused(acquire("r2", BOB, 300), at(1), 409, "locked");

        assertThat(slot.state().hold()).isEqualTo(held);
    }

    @Test
    void everyNewGrantIncrementsTheFenceAndUsesItsOwnToken() {
        Driver slot = Driver.registeredSlot();
        Hold first = slot.hold("r1", BOB, 60, at(0));
        slot.apply(release("r2", BOB, first.token()), at(1));
        Hold second = slot.hold("r3", CAROL, 60, at(2));

        assertThat(first.fence()).isEqualTo(1);
        assertThat(second.fence()).isEqualTo(2);
        assertThat(slot.state().fence()).isEqualTo(2);
        assertThat(second.token()).isEqualTo(tokenFor("r3")).isNotEqualTo(first.token());
    }

    @Test
    void acquireOnUnknownSlotRegistersItWithTheCallerAsOwner() {
        SlotState before = unregistered();
        Policy policy = Policy.defaults();

        Outcome o = machine().apply(before, acquire("r1", MALLORY, 45), at(0), "t");

        assertThat(o.reply().status()).isEqualTo(200);
        assertThat(o.reply().lock().fence()).isEqualTo(1);
        assertThat(o.changed()).isTrue();
        SlotConfig config = o.state().config();
        assertThat(config).isNotNull();
        assertThat(config.owners()).containsExactly("mallory");
        assertThat(config.members()).isEmpty();
        assertThat(config.defaultTimeout()).isEqualTo(policy.defaultTimeout());
        assertThat(config.maxTimeout()).isEqualTo(policy.maxTimeout());
        assertThat(config.createdAt()).isEqualTo(at(0));
        assertThat(eventTypes(o)).containsExactly(EventType.SLOT_CREATED, EventType.LOCK_ACQUIRED);
        LockEvent created = o.events().get(0);
        assertThat(created.data().actor()).isEqualTo("mallory");
        assertThat(created.data().slot()).isEqualTo(SLOT);
        assertThat(o.events()).extracting(LockEvent::id).doesNotHaveDuplicates();
    }

    @Test
    void autoRegistrationUsesThePolicyDefaultTimeoutWhenNoneGiven() {
        Policy policy = new Policy(true, 15, 600);

        Outcome o = new SlotMachine(policy).apply(unregistered(), acquire("r1", BOB), at(0), "t");

        assertThat(o.reply().lock().timeout()).isEqualTo(15);
        assertThat(o.state().config().maxTimeout()).isEqualTo(600);
    }

    @Test
    void autoRegistrationRefusesATimeoutAboveThePolicyMaximum() {
        SlotState before = unregistered();
        Policy policy = new Policy(true, 15, 600);

        Outcome o = new SlotMachine(policy).apply(before, acquire("r1", BOB, 601), at(0), "t");

        assertRefusedUnchanged(o, before, 400, "invalid_timeout");
        assertThat(o.state().isRegistered()).isFalse();
    }

    @Test
    void withAutoRegistrationOffAnUnknownSlotIsNotFoundAndNothingChanges() {
        SlotState before = unregistered();

        Outcome o = machineWithoutAutoRegister().apply(before, acquire("r1", BOB, 30), at(0), "t");

        assertRefusedUnchanged(o, before, 404, "slot_not_found");
        assertThat(o.state().isRegistered()).isFalse();
        assertThat(o.state().fence()).isZero();
    }

    @Test
    void withAutoRegistrationOffARegisteredSlotIsStillGranted() {
        Outcome o = machineWithoutAutoRegister().apply(registered(), acquire("r1", BOB, 30), at(0), "t");

        assertThat(o.reply().status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, MAX_TIMEOUT + 1, Integer.MAX_VALUE})
    void timeoutOutsideOneToMaxTimeoutIsABadRequest(int timeout) {
        SlotState before = registered();

        Outcome o = machine().apply(before, acquire("r1", BOB, timeout), at(0), "t");

        assertRefusedUnchanged(o, before, 400, "invalid_timeout");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, MAX_TIMEOUT})
    void timeoutAtTheBoundsIsAccepted(int timeout) {
        Outcome o = machine().apply(registered(), acquire("r1", BOB, timeout), at(0), "t");

        assertThat(o.reply().status()).isEqualTo(200);
        assertThat(o.reply().lock().expireAt()).isEqualTo(at(timeout));
    }

    @Test
    void aNonMemberIsForbiddenAndNothingChanges() {
        SlotState before = registered();

        Outcome o = machine().apply(before, acquire("r1", MALLORY, 30), at(0), "t");

        assertRefusedUnchanged(o, before, 403, "forbidden");
    }

    @Test
    void aNonMemberIsForbiddenEvenWhileTheSlotIsHeld() {
        Driver slot = Driver.registeredSlot();
        slot.hold("r1", BOB, 60, at(0));

        Outcome o = slot.applyRefused(acquire("r2", MALLORY, 30), at(1), 403, "forbidden");

        assertThat(o.reply().lock()).as("a non-member learns nothing about the holder").isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "bob", "root"})
    void membersOwnersAndAdminsMayAcquire(String principal) {
        Actor actor = List.of(ALICE, BOB, ROOT).stream()
                .filter(a -> a.principal().equals(principal)).findFirst().orElseThrow();

        Outcome o = machine().apply(registered(), acquire("r1", actor, 30), at(0), "t");

        assertThat(o.reply().status()).isEqualTo(200);
        assertThat(o.reply().lock().principal()).isEqualTo(principal);
    }

    @Test
    void aCommandForAnotherSlotIsRejectedAsAProgrammingError() {
        SlotState other = SlotState.empty("other-slot");

        assertThatThrownBy(() -> machine().apply(other, acquire("r1", BOB, 30), at(0), "t"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
