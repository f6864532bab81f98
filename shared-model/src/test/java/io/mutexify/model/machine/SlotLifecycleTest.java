package io.mutexify.model.machine;

import static io.mutexify.model.machine.Fixture.ALICE;
import static io.mutexify.model.machine.Fixture.BOB;
import static io.mutexify.model.machine.Fixture.CAROL;
import static io.mutexify.model.machine.Fixture.MALLORY;
import static io.mutexify.model.machine.Fixture.ROOT;
import static io.mutexify.model.machine.Fixture.SLOT;
import static io.mutexify.model.machine.Fixture.VERSION;
import static io.mutexify.model.machine.Fixture.acquire;
import static io.mutexify.model.machine.Fixture.assertRefusedAtStart;
import static io.mutexify.model.machine.Fixture.at;
import static io.mutexify.model.machine.Fixture.create;
import static io.mutexify.model.machine.Fixture.delete;
import static io.mutexify.model.machine.Fixture.eventTypes;
import static io.mutexify.model.machine.Fixture.machine;
import static io.mutexify.model.machine.Fixture.machineWithoutAutoRegister;
import static io.mutexify.model.machine.Fixture.registered;
import static io.mutexify.model.machine.Fixture.release;
import static io.mutexify.model.machine.Fixture.timeouts;
import static io.mutexify.model.machine.Fixture.unregistered;
import static io.mutexify.model.machine.Fixture.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.command.SlotSpec;
import io.mutexify.model.event.EventType;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.machine.Fixture.Driver;
import io.mutexify.model.slot.Hold;
import io.mutexify.model.slot.Limits;
import io.mutexify.model.slot.LockView;
import io.mutexify.model.slot.SlotConfig;
import io.mutexify.model.slot.SlotState;
import io.mutexify.model.slot.SlotView;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Registering, changing and removing slots. */
class SlotLifecycleTest {

    /** Spec timeouts that a slot may not have, for create and update alike. */
    static Stream<Arguments> invalidTimeouts() {
        return Stream.of(
                Arguments.of("defaultTimeout above maxTimeout", 600, 300),
                Arguments.of("maxTimeout above 30 days", 60, Limits.MAX_TIMEOUT_CEILING + 1),
                Arguments.of("maxTimeout zero", null, 0),
                Arguments.of("defaultTimeout zero", 0, 300),
                Arguments.of("negative defaultTimeout", -1, 300));
    }

    @Nested
    class Create {
        @Test
        void createRegistersTheSlotWithTheCallerAsOwnerByDefault() {
            SlotState before = unregistered();

            Outcome o = machine().apply(before, create("c1", BOB, SlotSpec.none()), at(0), "t");

            assertThat(o.changed()).isTrue();
            assertThat(o.reply().status()).isEqualTo(201);
            assertThat(o.reply().requestId()).isEqualTo("c1");
            SlotConfig c = o.state().config();
            assertThat(c.owners()).containsExactly("bob");
            assertThat(c.members()).isEmpty();
            assertThat(c.defaultTimeout()).isEqualTo(Policy.defaults().defaultTimeout());
            assertThat(c.maxTimeout()).isEqualTo(Policy.defaults().maxTimeout());
            assertThat(c.createdAt()).isEqualTo(at(0));
            assertThat(c.updatedAt()).isEqualTo(at(0));
            assertThat(o.state().hold()).isNull();
            assertThat(o.state().fence()).isZero();

            SlotView view = o.reply().slot();
            assertThat(view).isEqualTo(SlotView.of(o.state(), at(0)));
            assertThat(view.id()).isEqualTo(SLOT);
            assertThat(view.state()).isEqualTo("free");
            assertThat(view.lock()).isNull();

            assertThat(eventTypes(o)).containsExactly(EventType.SLOT_CREATED);
            assertThat(o.events().get(0).data().actor()).isEqualTo("bob");
            assertThat(o.timers()).isEmpty();
            assertThat(o.history()).isEmpty();
        }

        @Test
        void createKeepsEveryGivenField() {
            SlotSpec spec = new SlotSpec("Deploy target", "prod-eu", List.of("alice", "bob"), List.of("carol"), 120, 7200);

            Outcome o = machine().apply(unregistered(), create("c1", ROOT, spec), at(0), "t");

            assertThat(o.state().config()).isEqualTo(new SlotConfig("Deploy target", "prod-eu",
                    List.of("alice", "bob"), List.of("carol"), 120, 7200, at(0), at(0)));
        }

        @Test
        void withoutADefaultTimeoutASmallMaxTimeoutCapsTheDefault() {
            Outcome o = machine().apply(unregistered(), create("c1", BOB, timeouts(null, 30)), at(0), "t");

            assertThat(o.reply().status()).isEqualTo(201);
            assertThat(o.state().config().defaultTimeout()).isEqualTo(30);
            assertThat(o.state().config().maxTimeout()).isEqualTo(30);
        }

        @Test
        void maxTimeoutOfExactlyThirtyDaysIsAllowed() {
            Outcome o = machine().apply(unregistered(),
                    create("c1", BOB, timeouts(null, Limits.MAX_TIMEOUT_CEILING)), at(0), "t");

            assertThat(o.reply().status()).isEqualTo(201);
            assertThat(o.state().config().maxTimeout()).isEqualTo(30 * 24 * 3600);
        }

        @Test
        void createOnAnExistingSlotIsAConflictAndChangesNothing() {
            assertRefusedAtStart(registered(), create("c1", ALICE, SlotSpec.none()), 409, "slot_exists");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("io.mutexify.model.machine.SlotLifecycleTest#invalidTimeouts")
        void createWithInvalidTimeoutsIsABadRequest(String why, Integer defaultTimeout, Integer maxTimeout) {
            assertRefusedAtStart(unregistered(), create("c1", BOB, timeouts(defaultTimeout, maxTimeout)),
                    400, "invalid_slot");
        }

        @Test
        void createWithAnEmptyOwnerListIsABadRequest() {
            SlotSpec spec = new SlotSpec(null, null, List.of(), null, null, null);
            assertRefusedAtStart(unregistered(), create("c1", BOB, spec), 400, "invalid_slot");
        }

        @Test
        void createIsAllowedWithAutoRegistrationOff() {
            Outcome o = machineWithoutAutoRegister().apply(unregistered(), create("c1", BOB, SlotSpec.none()), at(0), "t");

            assertThat(o.reply().status()).isEqualTo(201);
        }
    }

    @Nested
    class Update {
        @Test
        void anOwnerMayUpdateAndUnsetFieldsStayAsTheyWere() {
            SlotState before = registered();
            SlotSpec patch = new SlotSpec("renamed", null, null, List.of("carol"), null, 1800);

            Outcome o = machine().apply(before, update("u1", ALICE, patch), at(0), "t");

            assertThat(o.changed()).isTrue();
            assertThat(o.reply().status()).isEqualTo(200);
            SlotConfig old = before.config();
            assertThat(o.state().config()).isEqualTo(new SlotConfig("renamed", old.description(), old.owners(),
                    List.of("carol"), old.defaultTimeout(), 1800, old.createdAt(), at(0)));
            assertThat(o.state().fence()).isEqualTo(before.fence());
            assertThat(o.state().version()).isEqualTo(VERSION);
            assertThat(o.reply().slot()).isEqualTo(SlotView.of(o.state(), at(0)));
            assertThat(eventTypes(o)).containsExactly(EventType.SLOT_UPDATED);
            assertThat(o.events().get(0).data().actor()).isEqualTo("alice");
        }

        @Test
        void anAdministratorMayUpdate() {
            Outcome o = machine().apply(registered(), update("u1", ROOT, timeouts(30, null)), at(0), "t");

            assertThat(o.reply().status()).isEqualTo(200);
            assertThat(o.state().config().defaultTimeout()).isEqualTo(30);
        }

        @Test
        void aMemberWhoIsNotAnOwnerIsForbidden() {
            assertRefusedAtStart(registered(), update("u1", BOB, timeouts(30, null)), 403, "forbidden");
        }

        @Test
        void anOutsiderIsForbidden() {
            assertRefusedAtStart(registered(), update("u1", MALLORY, new SlotSpec(null, null, List.of("mallory"),
                    null, null, null)), 403, "forbidden");
        }

        @Test
        void updatingAnUnregisteredSlotIsNotFound() {
            assertRefusedAtStart(unregistered(), update("u1", ROOT, timeouts(30, null)), 404, "slot_not_found");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("io.mutexify.model.machine.SlotLifecycleTest#invalidTimeouts")
        void updateToInvalidTimeoutsIsABadRequest(String why, Integer defaultTimeout, Integer maxTimeout) {
            assertRefusedAtStart(registered(), update("u1", ALICE, timeouts(defaultTimeout, maxTimeout)),
                    400, "invalid_slot");
        }

        @Test
        void loweringMaxTimeoutBelowTheCurrentDefaultIsABadRequest() {
            // The registered default is 60.
            assertRefusedAtStart(registered(), update("u1", ALICE, timeouts(null, 30)), 400, "invalid_slot");
        }

        @Test
        void removingEveryOwnerIsABadRequest() {
            SlotSpec patch = new SlotSpec(null, null, List.of(), null, null, null);
            assertRefusedAtStart(registered(), update("u1", ALICE, patch), 400, "invalid_slot");
        }

        @Test
        void updateWhileHeldKeepsTheLock() {
            Driver slot = Driver.registeredSlot();
            Hold held = slot.hold("r1", BOB, 60, at(0));

            Outcome o = slot.apply(update("u1", ALICE, new SlotSpec("renamed", null, null, null, null, null)), at(5));

            assertThat(o.reply().status()).isEqualTo(200);
            assertThat(o.state().hold()).isEqualTo(held);
            assertThat(o.reply().slot().lock()).isEqualTo(LockView.forPublic(SLOT, held));
            assertThat(o.reply().slot().state()).isEqualTo("held");
        }

        @Test
        void addingAMemberLetsThemAcquire() {
            Driver slot = Driver.registeredSlot();
            slot.applyRefused(acquire("r1", MALLORY, 30), at(0), 403, "forbidden");

            slot.apply(update("u1", ALICE, new SlotSpec(null, null, null, List.of("mallory"), null, null)), at(1));

            assertThat(slot.apply(acquire("r2", MALLORY, 30), at(2)).reply().status()).isEqualTo(200);
        }
    }

    @Nested
    class Delete {
        @Test
        void anOwnerMayDeleteAFreeSlotAndTheFenceIsKept() {
            Driver slot = Driver.registeredSlot();
            Hold held = slot.hold("r1", BOB, 60, at(0));
            slot.apply(release("d1", BOB, held.token()), at(1));

            Outcome o = slot.apply(delete("x1", ALICE), at(2));

            assertThat(o.changed()).isTrue();
            assertThat(o.reply().status()).isEqualTo(204);
            assertThat(o.reply().requestId()).isEqualTo("x1");
            assertThat(o.state()).as("the event count survives deletion, like the fence")
                    .isEqualTo(new SlotState(SLOT, null, 1, null, List.of(), VERSION).withEventSeq(3));
            assertThat(o.state().isRegistered()).isFalse();
            assertThat(eventTypes(o)).containsExactly(EventType.SLOT_DELETED);
            LockEvent e = o.events().get(0);
            assertThat(e.data().fence()).isEqualTo(1L);
            assertThat(e.data().actor()).isEqualTo("alice");
            assertThat(o.history()).isEmpty();
        }

        @Test
        void anAdministratorMayDelete() {
            Outcome o = machine().apply(registered(), delete("x1", ROOT), at(0), "t");

            assertThat(o.reply().status()).isEqualTo(204);
        }

        @Test
        void aMemberWhoIsNotAnOwnerIsForbidden() {
            assertRefusedAtStart(registered(), delete("x1", BOB), 403, "forbidden");
        }

        @Test
        void anOutsiderIsForbidden() {
            assertRefusedAtStart(registered(), delete("x1", MALLORY), 403, "forbidden");
        }

        @Test
        void deletingWhileHeldIsAConflictNamingTheHolderWithoutToken() {
            Driver slot = Driver.registeredSlot();
            Hold held = slot.hold("r1", BOB, 60, at(0));

            Outcome o = slot.applyRefused(delete("x1", ALICE), at(10), 409, "slot_held");

            assertThat(o.reply().lock()).isEqualTo(LockView.forPublic(SLOT, held));
            assertThat(o.reply().lock().token()).isNull();
        }

        @Test
        void deletingAnUnregisteredSlotIsNotFound() {
            assertRefusedAtStart(unregistered(), delete("x1", ROOT), 404, "slot_not_found");
        }

        @Test
        void deletingTwiceIsNotFoundTheSecondTime() {
            Driver slot = Driver.registeredSlot();
            slot.apply(delete("x1", ALICE), at(0));

            slot.applyRefused(delete("x2", ALICE), at(1), 404, "slot_not_found");
        }

        @Test
        void aDeletedSlotIsNotFoundWhenAutoRegistrationIsOff() {
            Driver slot = new Driver(machineWithoutAutoRegister(), registered());
            slot.apply(delete("x1", ALICE), at(0));

            slot.applyRefused(acquire("r1", BOB, 30), at(1), 404, "slot_not_found");
        }

        @Test
        void theFenceNeverGoesBackWhenTheSlotIsCreatedAgain() {
            Driver slot = Driver.registeredSlot();
            Hold first = slot.hold("r1", BOB, 60, at(0));
            slot.apply(release("d1", BOB, first.token()), at(1));
            Hold second = slot.hold("r2", CAROL, 60, at(2));
            slot.apply(release("d2", CAROL, second.token()), at(3));
            slot.apply(delete("x1", ALICE), at(4));

            Outcome created = slot.apply(create("c1", MALLORY, SlotSpec.none()), at(5));
            assertThat(created.reply().status()).isEqualTo(201);
            assertThat(created.reply().slot().fence()).isEqualTo(2);

            Outcome granted = slot.apply(acquire("r3", MALLORY, 30), at(6));
            assertThat(granted.reply().lock().fence()).isEqualTo(second.fence() + 1).isEqualTo(3);
        }

        @Test
        void theFenceNeverGoesBackWhenTheSlotIsAutoRegisteredAgain() {
            Driver slot = Driver.registeredSlot();
            Hold first = slot.hold("r1", BOB, 60, at(0));
            slot.apply(release("d1", BOB, first.token()), at(1));
            slot.apply(delete("x1", ALICE), at(2));

            Outcome o = slot.apply(acquire("r2", MALLORY, 30), at(3));

            assertThat(o.reply().status()).isEqualTo(200);
            assertThat(o.reply().lock().fence()).isEqualTo(first.fence() + 1);
            assertThat(o.state().config().owners()).containsExactly("mallory");
            assertThat(eventTypes(o)).containsExactly(EventType.SLOT_CREATED, EventType.LOCK_ACQUIRED);
        }
    }
}
