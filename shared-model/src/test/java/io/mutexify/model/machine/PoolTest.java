package io.mutexify.model.machine;

import static io.mutexify.model.machine.Fixture.ALICE;
import static io.mutexify.model.machine.Fixture.BOB;
import static io.mutexify.model.machine.Fixture.CAROL;
import static io.mutexify.model.machine.Fixture.DAVE;
import static io.mutexify.model.machine.Fixture.SLOT;
import static io.mutexify.model.machine.Fixture.at;
import static io.mutexify.model.machine.Fixture.config;
import static io.mutexify.model.machine.Fixture.eventTypes;
import static io.mutexify.model.machine.Fixture.machine;
import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.command.Actor;
import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.command.SlotCommand.Break;
import io.mutexify.model.command.SlotCommand.CancelWait;
import io.mutexify.model.command.SlotCommand.EndDelay;
import io.mutexify.model.command.SlotCommand.Expire;
import io.mutexify.model.command.SlotSpec;
import io.mutexify.model.event.EventType;
import io.mutexify.model.json.Json;
import io.mutexify.model.slot.DelayedUnit;
import io.mutexify.model.slot.HistoryEntry.EndReason;
import io.mutexify.model.slot.Hold;
import io.mutexify.model.slot.SlotConfig;
import io.mutexify.model.slot.SlotState;
import io.mutexify.model.slot.SlotView;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Pools: a slot with a capacity or named units, a hold per grant, FIFO across the pool, lock-delay. */
class PoolTest {
    static final List<String> UNITS = List.of("env-1", "env-2", "env-3");

    /** A registered pool of {@code UNITS} (or {@code capacity} unnamed places) with {@code lockDelay}. */
    static SlotState pool(int capacity, List<String> units, int lockDelay) {
        SlotConfig c = config();
        return new SlotState(SLOT, new SlotConfig(c.name(), c.description(), c.owners(), c.members(),
                c.defaultTimeout(), c.maxTimeout(), c.createdAt(), c.updatedAt(), capacity, units, lockDelay),
                0, null, List.of(), Fixture.VERSION);
    }

    static Acquire acquire(String rid, Actor actor, String unit, int wait) {
        return new Acquire(rid, SLOT, actor, null, 60, List.of(), wait, unit);
    }

    /** Threads a pool's state through commands; every grant gets {@code "tok-" + n}, n counting up. */
    static final class PoolDriver {
        private final SlotMachine machine = machine();
        private SlotState state;
        private int tokens;

        PoolDriver(SlotState state) {
            this.state = state;
        }

        Outcome apply(SlotCommand command, Instant now) {
            Outcome o = machine.apply(state, command, now, () -> "tok-" + (++tokens));
            state = o.state();
            return o;
        }

        Hold grant(String rid, Actor actor, String unit, Instant now) {
            Outcome o = apply(acquire(rid, actor, unit, 0), now);
            assertThat(o.reply().status()).as("grant of " + rid + ": " + o.reply()).isEqualTo(200);
            return holdOf(rid);
        }

        Hold holdOf(String rid) {
            return state.holds().stream().filter(h -> h.id().equals(rid)).findFirst().orElseThrow();
        }
    }

    @Nested
    class Granting {
        @Test
        void grantsUpToCapacityEachWithItsOwnTokenAndAGrowingFence() {
            PoolDriver d = new PoolDriver(pool(3, List.of(), 0));
            Hold a = d.grant("a", BOB, null, at(0));
            Hold b = d.grant("b", CAROL, null, at(1));
            Hold c = d.grant("c", DAVE, null, at(2));

            assertThat(List.of(a.fence(), b.fence(), c.fence())).containsExactly(1L, 2L, 3L);
            assertThat(List.of(a.token(), b.token(), c.token())).doesNotHaveDuplicates();
            assertThat(a.unit()).isNull();
            Outcome full = d.apply(acquire("d", BOB, null, 0), at(3));
            assertThat(full.reply().status()).isEqualTo(409);
            assertThat(full.reply().error()).isEqualTo("locked");
            assertThat(full.reply().message()).contains("every unit");
            assertThat(d.state.liveHolds(at(3))).hasSize(3);
        }

        @Test
        void namedUnitsAreGrantedInOrderAndAGrantNamesItsUnit() {
            PoolDriver d = new PoolDriver(pool(3, UNITS, 0));
            Outcome o = d.apply(acquire("a", BOB, null, 0), at(0));
            assertThat(o.reply().lock().unit()).isEqualTo("env-1");
            assertThat(d.grant("b", CAROL, null, at(0)).unit()).isEqualTo("env-2");
            assertThat(o.events().get(0).data().unit()).isEqualTo("env-1");
        }

        @Test
        void aCallerMayAskForASpecificUnit() {
            PoolDriver d = new PoolDriver(pool(3, UNITS, 0));
            assertThat(d.grant("a", BOB, "env-3", at(0)).unit()).isEqualTo("env-3");
            Outcome taken = d.apply(acquire("b", CAROL, "env-3", 0), at(1));
            assertThat(taken.reply().status()).isEqualTo(409);
            assertThat(taken.reply().lock().unit()).as("names the holder of that unit").isEqualTo("env-3");
            assertThat(taken.reply().lock().token()).isNull();
            assertThat(d.grant("c", CAROL, null, at(2)).unit()).isEqualTo("env-1");
        }

        @Test
        void anUnknownUnitIsRefusedWithoutChange() {
            PoolDriver d = new PoolDriver(pool(3, UNITS, 0));
            SlotState before = d.state;
            Fixture.assertRefusedUnchanged(d.apply(acquire("a", BOB, "env-9", 0), at(0)), before, 400, "unknown_unit");
            PoolDriver plain = new PoolDriver(pool(2, List.of(), 0));
            Fixture.assertRefusedUnchanged(plain.apply(acquire("a", BOB, "env-1", 0), at(0)), plain.state, 400,
                    "unknown_unit");
        }

        @Test
        void aRetryOfAGrantedRequestGetsTheSameGrantNotASecondHold() {
            PoolDriver d = new PoolDriver(pool(3, UNITS, 0));
            Hold a = d.grant("a", BOB, null, at(0));
            Outcome again = d.apply(acquire("a", BOB, null, 0), at(1));
            assertThat(again.reply().lock().token()).isEqualTo(a.token());
            assertThat(again.changed()).isFalse();
            assertThat(d.state.holds()).hasSize(1);
        }
    }

    @Nested
    class Waiting {
        @Test
        void waitersAreServedOldestFirstAcrossThePool() {
            PoolDriver d = new PoolDriver(pool(2, UNITS.subList(0, 2), 0));
            Hold a = d.grant("a", BOB, null, at(0));
            Hold b = d.grant("b", CAROL, null, at(0));
            assertThat(d.apply(acquire("w1", DAVE, null, 30), at(1)).reply()).isNull();
            assertThat(d.apply(acquire("w2", BOB, null, 30), at(2)).reply()).isNull();

            Outcome o = d.apply(Fixture.release("r", CAROL, b.token()), at(3));
            assertThat(o.otherReplies()).singleElement().satisfies(r -> {
                assertThat(r.requestId()).isEqualTo("w1");
                assertThat(r.lock().unit()).isEqualTo("env-2");
                assertThat(r.lock().fence()).isEqualTo(3);
            });
            o = d.apply(Fixture.release("r2", BOB, a.token()), at(4));
            assertThat(o.otherReplies()).singleElement().satisfies(r -> assertThat(r.requestId()).isEqualTo("w2"));
            assertThat(eventTypes(o)).containsExactly(EventType.LOCK_RELEASED, EventType.LOCK_ACQUIRED);
            assertThat(o.events().get(1).data().unit()).isEqualTo("env-1");
        }

        @Test
        void aWaiterForATakenUnitLetsAYoungerWaiterForAnotherUnitPassButNotForItsOwn() {
            PoolDriver d = new PoolDriver(pool(3, UNITS, 0));
            Hold one = d.grant("a", BOB, "env-1", at(0));
            Hold two = d.grant("b", BOB, "env-2", at(0));
            d.grant("c", BOB, "env-3", at(0));
            d.apply(acquire("w-env1", CAROL, "env-1", 30), at(1));
            d.apply(acquire("w-any", DAVE, null, 30), at(2));

            Outcome o = d.apply(Fixture.release("r", BOB, two.token()), at(3));
            assertThat(o.otherReplies()).singleElement().satisfies(r -> {
                assertThat(r.requestId()).isEqualTo("w-any");
                assertThat(r.lock().unit()).isEqualTo("env-2");
            });
            d.apply(acquire("w-any-2", DAVE, null, 30), at(4));
            o = d.apply(Fixture.release("r2", BOB, one.token()), at(5));
            assertThat(o.otherReplies()).as("the older waiter for env-1 goes first")
                    .singleElement().satisfies(r -> assertThat(r.requestId()).isEqualTo("w-env1"));
        }

        @Test
        void aNewAcquireDoesNotJumpAheadOfWaitersWhenAHoldExpires() {
            PoolDriver d = new PoolDriver(pool(2, List.of(), 0));
            d.grant("a", BOB, null, at(0));
            d.grant("b", CAROL, null, at(0));
            d.apply(acquire("w1", DAVE, null, 120), at(1));
            // a and b expire at 60; a newcomer at 61 finds the line ahead of it.
            Outcome o = d.apply(acquire("new", BOB, null, 0), at(61));
            assertThat(o.reply().status()).isEqualTo(200);
            assertThat(o.otherReplies()).singleElement().satisfies(r -> assertThat(r.requestId()).isEqualTo("w1"));
            assertThat(d.holdOf("w1").fence()).isLessThan(d.holdOf("new").fence());
            assertThat(eventTypes(o)).containsExactly(EventType.LOCK_EXPIRED, EventType.LOCK_EXPIRED,
                    EventType.LOCK_ACQUIRED, EventType.LOCK_ACQUIRED);
        }

        @Test
        void aRetryKeepsItsPlaceWhileWaitingAndGetsTheSameRefusalAfterItsWaitEnded() {
            PoolDriver d = new PoolDriver(pool(2, List.of(), 0));
            d.grant("a", BOB, null, at(0));
            Hold b = d.grant("b", CAROL, null, at(0));
            d.apply(acquire("w1", DAVE, null, 10), at(1));
            d.apply(acquire("w2", BOB, null, 30), at(2));
            SlotState before = d.state;
            Outcome retry = d.apply(acquire("w1", DAVE, null, 10), at(3));
            assertThat(retry.reply()).isNull();
            assertThat(retry.changed()).isFalse();
            assertThat(d.state).isEqualTo(before);

            Outcome ended = d.apply(Fixture.endWait("w1", at(11)), at(11));
            assertThat(ended.otherReplies()).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(409));
            Outcome late = d.apply(acquire("w1", DAVE, null, 10), at(12));
            assertThat(late.reply().status()).as("the same answer, not a new request").isEqualTo(409);
            assertThat(d.apply(Fixture.release("r", CAROL, b.token()), at(13)).otherReplies())
                    .singleElement().satisfies(r -> assertThat(r.requestId()).isEqualTo("w2"));
        }

        @Test
        void aCancelledWaiterLeavesThePoolsLine() {
            PoolDriver d = new PoolDriver(pool(1, List.of("only"), 0));
            Hold a = d.grant("a", BOB, null, at(0));
            d.apply(acquire("w1", CAROL, null, 30), at(1));
            d.apply(acquire("w2", DAVE, null, 30), at(1));
            d.apply(CancelWait.of(SLOT, CAROL, "w1"), at(2));
            Outcome o = d.apply(Fixture.release("r", BOB, a.token()), at(3));
            assertThat(o.otherReplies()).singleElement().satisfies(r -> assertThat(r.requestId()).isEqualTo("w2"));
        }
    }

    @Nested
    class PerHold {
        @Test
        void extendAndReleaseTouchOnlyTheHoldOfTheToken() {
            PoolDriver d = new PoolDriver(pool(3, UNITS, 0));
            Hold a = d.grant("a", BOB, null, at(0));
            Hold b = d.grant("b", CAROL, null, at(0));
            Outcome ext = d.apply(Fixture.extend("e", CAROL, b.token(), 600), at(10));
            assertThat(ext.reply().lock().unit()).isEqualTo("env-2");
            assertThat(d.holdOf("b").expireAt()).isEqualTo(at(610));
            assertThat(d.holdOf("a")).isEqualTo(a);
            assertThat(ext.timers()).containsExactly(new ScheduledCommand(at(610), Expire.of(SLOT, b.fence(), at(610))));

            Outcome rel = d.apply(Fixture.release("r", BOB, a.token()), at(11));
            assertThat(rel.reply().status()).isEqualTo(204);
            assertThat(rel.history()).singleElement().satisfies(h -> {
                assertThat(h.unit()).isEqualTo("env-1");
                assertThat(h.fence()).isEqualTo(a.fence());
                assertThat(h.endReason()).isEqualTo(EndReason.RELEASED);
            });
            assertThat(d.state.holds()).extracting(Hold::id).containsExactly("b");
        }

        @Test
        void eachHoldExpiresOnItsOwnTime() {
            PoolDriver d = new PoolDriver(pool(3, List.of(), 0));
            d.apply(new Acquire("a", SLOT, BOB, null, 10, List.of(), 0, null), at(0));
            d.apply(new Acquire("b", SLOT, CAROL, null, 20, List.of(), 0, null), at(0));
            Outcome o = d.apply(Expire.of(SLOT, 1, at(10)), at(10));
            assertThat(o.history()).singleElement().satisfies(h -> assertThat(h.fence()).isEqualTo(1));
            assertThat(d.state.holds()).extracting(Hold::id).containsExactly("b");
            assertThat(d.apply(Expire.of(SLOT, 2, at(20)), at(15)).timers()).as("early timer is re-armed")
                    .containsExactly(new ScheduledCommand(at(20), Expire.of(SLOT, 2, at(20))));
        }

        @Test
        void breakEndsOneHoldByUnitOrLockIdOrEveryHold() {
            PoolDriver d = new PoolDriver(pool(3, UNITS, 0));
            d.grant("a", BOB, null, at(0));
            d.grant("b", CAROL, null, at(0));
            d.grant("c", DAVE, null, at(0));

            Outcome byUnit = d.apply(new Break("x1", SLOT, ALICE, "stuck", null, "env-2"), at(1));
            assertThat(byUnit.reply().lock().id()).isEqualTo("b");
            assertThat(byUnit.events()).singleElement().satisfies(e -> assertThat(e.data().unit()).isEqualTo("env-2"));
            Outcome byId = d.apply(new Break("x2", SLOT, ALICE, null, "c", null), at(2));
            assertThat(byId.reply().lock().unit()).isEqualTo("env-3");
            assertThat(d.state.holds()).extracting(Hold::id).containsExactly("a");

            d.grant("d", BOB, null, at(3));
            Outcome all = d.apply(Fixture.breakLock("x3", ALICE, null), at(4));
            assertThat(all.history()).extracting(h -> h.unit()).containsExactly("env-1", "env-2");
            assertThat(all.history()).allSatisfy(h -> assertThat(h.endReason()).isEqualTo(EndReason.BROKEN));
            assertThat(d.state.holds()).isEmpty();
            Outcome none = d.apply(new Break("x4", SLOT, ALICE, null, null, "env-1"), at(5));
            assertThat(none.reply().status()).isEqualTo(404);
            assertThat(none.reply().error()).isEqualTo("not_held");
        }

        @Test
        void aPoolWithLiveHoldsCannotBeDeleted() {
            PoolDriver d = new PoolDriver(pool(3, List.of(), 0));
            d.grant("a", BOB, null, at(0));
            assertThat(d.apply(Fixture.delete("del", ALICE), at(1)).reply().error()).isEqualTo("slot_held");
        }
    }

    @Nested
    class CapacityChanges {
        @Test
        void loweringCapacityRevokesNothingAndGrantsNothingUntilUnderIt() {
            PoolDriver d = new PoolDriver(pool(3, List.of(), 0));
            Hold a = d.grant("a", BOB, null, at(0));
            Hold b = d.grant("b", CAROL, null, at(0));
            d.grant("c", DAVE, null, at(0));
            Outcome up = d.apply(Fixture.update("u", ALICE, new SlotSpec(null, null, null, null, null, null, 1, null, null)), at(1));
            assertThat(up.reply().slot().capacity()).isEqualTo(1);
            assertThat(up.reply().slot().holds()).hasSize(3);
            assertThat(eventTypes(up)).containsExactly(EventType.SLOT_UPDATED);

            d.apply(acquire("w", BOB, null, 60), at(2));
            assertThat(d.apply(Fixture.release("r1", BOB, a.token()), at(3)).otherReplies()).isEmpty();
            assertThat(d.apply(Fixture.release("r2", CAROL, b.token()), at(4)).otherReplies()).isEmpty();
            Outcome last = d.apply(Fixture.release("r3", DAVE, d.holdOf("c").token()), at(5));
            assertThat(last.otherReplies()).singleElement().satisfies(r -> assertThat(r.requestId()).isEqualTo("w"));
        }

        @Test
        void raisingCapacityGrantsSeveralWaitersInOneStep() {
            PoolDriver d = new PoolDriver(pool(1, List.of(), 0));
            d.grant("a", BOB, null, at(0));
            d.apply(acquire("w1", CAROL, null, 60), at(1));
            d.apply(acquire("w2", DAVE, null, 60), at(2));
            Outcome o = d.apply(Fixture.update("u", ALICE, new SlotSpec(null, null, null, null, null, null, 3, null, null)), at(3));
            assertThat(o.otherReplies()).extracting(Reply::requestId).containsExactly("w1", "w2");
            assertThat(o.otherReplies()).extracting(r -> r.lock().token()).doesNotHaveDuplicates();
            assertThat(d.state.holds()).extracting(Hold::fence).containsExactly(1L, 2L, 3L);
        }

        @Test
        void unitsSetCapacityAndAMismatchOrBadNameIsRefused() {
            PoolDriver d = new PoolDriver(Fixture.registered());
            Outcome named = d.apply(Fixture.update("u", ALICE, new SlotSpec(null, null, null, null, null, null, null,
                    UNITS, 5)), at(0));
            assertThat(named.reply().slot().capacity()).isEqualTo(3);
            assertThat(named.reply().slot().units()).isEqualTo(UNITS);
            assertThat(named.reply().slot().lockDelay()).isEqualTo(5);
            SlotState before = d.state;
            for (SlotSpec bad : List.of(
                    new SlotSpec(null, null, null, null, null, null, 2, null, null),
                    new SlotSpec(null, null, null, null, null, null, 0, null, null),
                    new SlotSpec(null, null, null, null, null, null, 65, null, null),
                    new SlotSpec(null, null, null, null, null, null, null, List.of("a", "a"), null),
                    new SlotSpec(null, null, null, null, null, null, null, List.of("bad name"), null),
                    new SlotSpec(null, null, null, null, null, null, null, null, -1),
                    new SlotSpec(null, null, null, null, null, null, null, null, 3601))) {
                Fixture.assertRefusedUnchanged(d.apply(Fixture.update("bad", ALICE, bad), at(1)), before, 400,
                        "invalid_slot");
            }
            Outcome unnamed = d.apply(Fixture.update("u2", ALICE, new SlotSpec(null, null, null, null, null, null, null,
                    List.of(), null)), at(2));
            assertThat(unnamed.reply().slot().capacity()).as("dropping names keeps the places").isEqualTo(3);
            assertThat(unnamed.reply().slot().units()).isNull();
        }

        @Test
        void aUnitDroppedWhileHeldKeepsItsHoldAndCountsUntilItEnds() {
            PoolDriver d = new PoolDriver(pool(3, UNITS, 0));
            Hold three = d.grant("c", BOB, "env-3", at(0));
            Outcome o = d.apply(Fixture.update("u", ALICE, new SlotSpec(null, null, null, null, null, null, null,
                    UNITS.subList(0, 2), null)), at(1));
            assertThat(o.reply().slot().capacity()).isEqualTo(2);
            assertThat(o.reply().slot().holds()).extracting(l -> l.unit()).containsExactly("env-3");
            assertThat(d.grant("a", CAROL, null, at(2)).unit()).isEqualTo("env-1");
            assertThat(d.apply(acquire("b", DAVE, null, 0), at(3)).reply().status()).as("two holds: full").isEqualTo(409);
            d.apply(acquire("w", DAVE, null, 30), at(4));
            Outcome freed = d.apply(Fixture.release("r", BOB, three.token()), at(5));
            assertThat(freed.otherReplies()).singleElement().satisfies(r -> assertThat(r.lock().unit()).isEqualTo("env-2"));
        }

        @Test
        void createAcceptsAPool() {
            PoolDriver d = new PoolDriver(Fixture.unregistered());
            Outcome o = d.apply(Fixture.create("c", ALICE, new SlotSpec(null, null, null, null, null, null, null,
                    UNITS, 2)), at(0));
            assertThat(o.reply().status()).isEqualTo(201);
            assertThat(o.reply().slot().capacity()).isEqualTo(3);
            assertThat(o.reply().slot().available()).isEqualTo(3);
        }
    }

    @Nested
    class LockDelay {
        @Test
        void anExpiredHoldLeavesItsUnitUngrantedForTheDelay() {
            PoolDriver d = new PoolDriver(pool(2, UNITS.subList(0, 2), 10));
            d.grant("a", BOB, null, at(0));
            d.grant("b", CAROL, null, at(30));
            d.apply(acquire("w", DAVE, null, 60), at(40));

            Outcome expiry = d.apply(Expire.of(SLOT, 1, at(60)), at(60));
            assertThat(eventTypes(expiry)).containsExactly(EventType.LOCK_EXPIRED);
            assertThat(expiry.otherReplies()).as("env-1 is in its lock-delay").isEmpty();
            assertThat(d.state.delays()).containsExactly(new DelayedUnit("env-1", 1, at(70)));
            assertThat(expiry.timers()).contains(new ScheduledCommand(at(70), EndDelay.of(SLOT, 1, at(70))));
            assertThat(SlotView.of(d.state, at(65)).available()).isZero();
            assertThat(d.apply(acquire("x", BOB, "env-1", 0), at(65)).reply().message()).contains("lock-delay");

            Outcome early = d.apply(EndDelay.of(SLOT, 1, at(70)), at(69));
            assertThat(early.timers()).containsExactly(new ScheduledCommand(at(70), EndDelay.of(SLOT, 1, at(70))));
            Outcome over = d.apply(EndDelay.of(SLOT, 1, at(70)), at(70));
            assertThat(over.otherReplies()).singleElement().satisfies(r -> {
                assertThat(r.requestId()).isEqualTo("w");
                assertThat(r.lock().unit()).isEqualTo("env-1");
            });
            assertThat(d.state.delays()).isEmpty();
        }

        @Test
        void aBrokenHoldIsDelayedButAReleaseHandsOverAtOnce() {
            PoolDriver d = new PoolDriver(pool(1, List.of(), 10));
            Hold a = d.grant("a", BOB, null, at(0));
            d.apply(acquire("w1", CAROL, null, 60), at(1));
            Outcome released = d.apply(Fixture.release("r", BOB, a.token()), at(2));
            assertThat(released.otherReplies()).singleElement().satisfies(r -> assertThat(r.requestId()).isEqualTo("w1"));

            d.apply(acquire("w2", DAVE, null, 60), at(3));
            Outcome broken = d.apply(Fixture.breakLock("x", ALICE, "stuck"), at(4));
            assertThat(broken.otherReplies()).isEmpty();
            assertThat(d.apply(Fixture.acquire("later", BOB), at(13)).reply().status()).isEqualTo(409);
            Outcome after = d.apply(EndDelay.of(SLOT, 2, at(14)), at(14));
            assertThat(after.otherReplies()).singleElement().satisfies(r -> assertThat(r.requestId()).isEqualTo("w2"));
        }

        @Test
        void anExpiryNoticedLateDelaysOnlyWhatIsLeftOfTheDelay() {
            PoolDriver d = new PoolDriver(pool(1, List.of(), 10));
            d.grant("a", BOB, null, at(0));
            // Expired at 60; noticed at 75, past 60 + 10: nothing left to wait for.
            Outcome o = d.apply(Fixture.acquire("b", CAROL), at(75));
            assertThat(o.reply().status()).isEqualTo(200);
            assertThat(d.state.delays()).isEmpty();
        }
    }

    @Test
    void aPoolsStateRoundTripsThroughJson() {
        PoolDriver d = new PoolDriver(pool(3, UNITS, 10));
        d.grant("a", BOB, null, at(0));
        d.grant("b", CAROL, "env-3", at(0));
        d.apply(Fixture.breakLock("x", ALICE, null), at(1));
        d.grant("c", DAVE, null, at(2));
        d.apply(acquire("w", BOB, "env-3", 30), at(3));
        assertThat(d.state.delays()).hasSize(2);
        assertThat(Json.read(Json.write(d.state), SlotState.class)).isEqualTo(d.state);
    }
}
