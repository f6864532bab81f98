package io.mutexify.model.machine;

import static io.mutexify.model.machine.Fixture.ALICE;
import static io.mutexify.model.machine.Fixture.BOB;
import static io.mutexify.model.machine.Fixture.CAROL;
import static io.mutexify.model.machine.Fixture.MAX_TIMEOUT;
import static io.mutexify.model.machine.Fixture.SLOT;
import static io.mutexify.model.machine.Fixture.acquire;
import static io.mutexify.model.machine.Fixture.assertRefusedUnchanged;
import static io.mutexify.model.machine.Fixture.at;
import static io.mutexify.model.machine.Fixture.eventTypes;
import static io.mutexify.model.machine.Fixture.expireTimer;
import static io.mutexify.model.machine.Fixture.extend;
import static io.mutexify.model.machine.Fixture.machine;
import static io.mutexify.model.machine.Fixture.registered;
import static io.mutexify.model.machine.Fixture.release;
import static io.mutexify.model.machine.Fixture.unregistered;
import static io.mutexify.model.machine.Fixture.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.command.SlotSpec;
import io.mutexify.model.event.EventType;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.HistoryEntry.EndReason;
import io.mutexify.model.slot.Hold;
import io.mutexify.model.slot.SlotState;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExtendReleaseTest extends BobHoldsSlot {
    @Nested
    class Extend {
        @Test
        void extendKeepsTokenAndFenceAndMovesExpireAtToNowPlusTimeout() {
            Outcome o = slot.apply(extend("x1", BOB, held.token(), 120), at(30));

            assertThat(o.changed()).isTrue();
            assertThat(o.reply().status()).isEqualTo(200);
            assertThat(o.reply().requestId()).isEqualTo("x1");
            assertThat(o.reply().lock().token()).isEqualTo(held.token());
            assertThat(o.reply().lock().fence()).isEqualTo(held.fence());
            assertThat(o.reply().lock().id()).isEqualTo(held.id());
            assertThat(o.reply().lock().timeout()).isEqualTo(120);
            assertThat(o.reply().lock().expireAt()).isEqualTo(at(150)).isAfter(held.expireAt());
            assertThat(o.reply().lock().createdAt()).isEqualTo(held.createdAt());
            assertThat(o.reply().lock().updatedAt()).isEqualTo(at(30));

            Hold extended = o.state().hold();
            assertThat(extended).isEqualTo(held.extendedTo(120, at(30)));
            assertThat(o.state().fence()).isEqualTo(held.fence());
            assertThat(o.history()).isEmpty();
            assertThat(o.otherReplies()).isEmpty();
        }

        @Test
        void extendSchedulesAnExpireTimerAtTheNewExpireAt() {
            Outcome o = slot.apply(extend("x1", BOB, held.token(), 120), at(30));

            assertThat(o.timers()).containsExactly(expireTimer(o.state().hold()));
            assertThat(o.timers().get(0).at()).isEqualTo(at(150));
        }

        @Test
        void extendPublishesAnExtendedEvent() {
            Outcome o = slot.apply(extend("x1", BOB, held.token(), 120), at(30));

            assertThat(eventTypes(o)).containsExactly(EventType.LOCK_EXTENDED);
            LockEvent e = o.events().get(0);
            assertThat(e.data().fence()).isEqualTo(1L);
            assertThat(e.data().expireAt()).isEqualTo(at(150));
            assertThat(e.data().actor()).isEqualTo("bob");
            assertThat(e.id()).as("after the grant's event").isEqualTo(SLOT + "#2");
        }

        @Test
        void extendToExactlyTheCurrentExpiryIsAllowed() {
            Outcome o = slot.apply(extend("x1", BOB, held.token(), 50), at(10));

            assertThat(o.reply().status()).isEqualTo(200);
            assertThat(o.reply().lock().expireAt()).isEqualTo(held.expireAt());
        }

        @Test
        void extendThatWouldEndEarlierIsRefusedAsWouldShorten() {
            slot.applyRefused(extend("x1", BOB, held.token(), 30), at(10), 409, "would_shorten");

            assertThat(slot.state().hold()).isEqualTo(held);
        }

        @Test
        void extendWithAWrongTokenIsNotFound() {
            slot.applyRefused(extend("x1", BOB, "not-the-token", 120), at(10), 404, "lock_not_found");
        }

        @Test
        void extendWithANullTokenIsNotFound() {
            slot.applyRefused(extend("x1", BOB, null, 120), at(10), 404, "lock_not_found");
        }

        @Test
        void extendBeyondTheSlotMaximumIsABadRequest() {
            slot.applyRefused(extend("x1", BOB, held.token(), MAX_TIMEOUT + 1), at(10), 400, "invalid_timeout");
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -5})
        void extendWithANonPositiveTimeoutIsABadRequest(int timeout) {
            slot.applyRefused(extend("x1", BOB, held.token(), timeout), at(10), 400, "invalid_timeout");
        }

        @Test
        void extendUpToTheSlotMaximumIsAllowed() {
            Outcome o = slot.apply(extend("x1", BOB, held.token(), MAX_TIMEOUT), at(10));

            assertThat(o.reply().lock().expireAt()).isEqualTo(at(10 + MAX_TIMEOUT));
        }

        @Test
        void aWrongTokenIsCheckedBeforeTheTimeout() {
            slot.applyRefused(extend("x1", BOB, "not-the-token", MAX_TIMEOUT + 1), at(10), 404, "lock_not_found");
        }

        @Test
        void anotherMemberHoldingTheTokenMayExtend() {
            Outcome o = slot.apply(extend("x1", CAROL, held.token(), 120), at(10));

            assertThat(o.reply().status()).isEqualTo(200);
            assertThat(o.reply().lock().principal()).as("the holder stays the same").isEqualTo("bob");
        }

        @Test
        void aHolderWhoseMembershipWasWithdrawnMayNotExtend() {
            slot.apply(update("u1", ALICE, new SlotSpec(null, null, null, List.of("carol"), null, null)), at(5));

            slot.applyRefused(extend("x1", BOB, held.token(), 120), at(10), 403, "forbidden");
        }

        @Test
        void extendOnAFreeSlotIsNotFound() {
            slot.apply(release("x0", BOB, held.token()), at(5));

            slot.applyRefused(extend("x1", BOB, held.token(), 120), at(10), 404, "lock_not_found");
        }

        @Test
        void extendOnAnUnregisteredSlotIsNotFound() {
            SlotState before = unregistered();

            Outcome o = machine().apply(before, extend("x1", BOB, "t", 60), at(0), "t2");

            assertRefusedUnchanged(o, before, 404, "slot_not_found");
        }

        @Test
        void extendTwiceKeepsExtendingFromNow() {
            slot.apply(extend("x1", BOB, held.token(), 100), at(10));
            Outcome o = slot.apply(extend("x2", BOB, held.token(), 100), at(50));

            assertThat(o.reply().lock().expireAt()).isEqualTo(at(150));
            assertThat(o.reply().lock().fence()).isEqualTo(1);
        }
    }

    @Nested
    class Release {
        @Test
        void releaseAnswersNoContentAndRecordsHistory() {
            Outcome o = slot.apply(release("d1", BOB, held.token()), at(20));

            assertThat(o.changed()).isTrue();
            assertThat(o.reply().status()).isEqualTo(204);
            assertThat(o.reply().requestId()).isEqualTo("d1");
            assertThat(o.reply().slotId()).isEqualTo(SLOT);
            assertThat(o.reply().lock()).isNull();
            assertThat(o.reply().isError()).isFalse();

            assertThat(o.history()).containsExactly(new HistoryEntry(SLOT, 1, "bob", "bob", at(0), at(20),
                    EndReason.RELEASED, "bob"));
            assertThat(eventTypes(o)).containsExactly(EventType.LOCK_RELEASED);
            assertThat(o.events().get(0).data().fence()).isEqualTo(1L);
            assertThat(o.events().get(0).data().reason()).isEqualTo("released");
            assertThat(o.timers()).isEmpty();
            assertThat(o.otherReplies()).isEmpty();
        }

        @Test
        void releaseFreesTheSlotButKeepsTheFence() {
            Outcome o = slot.apply(release("d1", BOB, held.token()), at(20));

            assertThat(o.state()).as("granted and released: two events").isEqualTo(registered().withFence(1).withEventSeq(2));
            assertThat(o.state().liveHold(at(20))).isEmpty();
        }

        @Test
        void releaseWithAWrongTokenIsNotFoundAndChangesNothing() {
            slot.applyRefused(release("d1", BOB, "not-the-token"), at(20), 404, "lock_not_found");

            assertThat(slot.state().hold()).isEqualTo(held);
        }

        @Test
        void releasingTwiceIsNotFoundTheSecondTime() {
            slot.apply(release("d1", BOB, held.token()), at(20));

            slot.applyRefused(release("d2", BOB, held.token()), at(21), 404, "lock_not_found");
        }

        @Test
        void releaseWithATokenOfAnOlderGrantIsNotFound() {
            slot.apply(release("d1", BOB, held.token()), at(20));
            slot.hold("r2", CAROL, 60, at(21));

            slot.applyRefused(release("d2", BOB, held.token()), at(22), 404, "lock_not_found");
        }

        @Test
        void aHolderWhoseMembershipWasWithdrawnMayStillRelease() {
            slot.apply(update("u1", ALICE, new SlotSpec(null, null, null, List.of("carol"), null, null)), at(5));

            Outcome o = slot.apply(release("d1", BOB, held.token()), at(10));

            assertThat(o.reply().status()).isEqualTo(204);
        }

        @Test
        void releaseOnAnUnregisteredSlotIsNotFound() {
            SlotState before = unregistered();

            Outcome o = machine().apply(before, release("d1", BOB, "t"), at(0), "t2");

            assertRefusedUnchanged(o, before, 404, "slot_not_found");
        }

        @Test
        void afterReleaseTheNextAcquireGetsTheNextFence() {
            slot.apply(release("d1", BOB, held.token()), at(20));

            Outcome o = slot.apply(acquire("r2", CAROL, 10), at(21));

            assertThat(o.reply().lock().fence()).isEqualTo(2);
        }
    }
}
