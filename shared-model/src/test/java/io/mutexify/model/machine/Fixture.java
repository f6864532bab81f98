package io.mutexify.model.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.command.Actor;
import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.command.SlotCommand.Break;
import io.mutexify.model.command.SlotCommand.CreateSlot;
import io.mutexify.model.command.SlotCommand.DeleteSlot;
import io.mutexify.model.command.SlotCommand.EndWait;
import io.mutexify.model.command.SlotCommand.Expire;
import io.mutexify.model.command.SlotCommand.Extend;
import io.mutexify.model.command.SlotCommand.Release;
import io.mutexify.model.command.SlotCommand.UpdateSlot;
import io.mutexify.model.command.SlotSpec;
import io.mutexify.model.event.EventType;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.slot.Hold;
import io.mutexify.model.slot.SlotConfig;
import io.mutexify.model.slot.SlotState;
import java.time.Instant;
import java.util.List;

/**
 * Shared test fixture for the slot state machine: actors, a registered slot, command builders and
 * a small driver that threads the state through successive commands.
 *
 * <p>Tokens are derived from the request id ({@code "tok-" + requestId}) so a test can name the
 * token a grant must carry without guessing.
 */
final class Fixture {
    static final String SLOT = "ci-env-1";
    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    /** Owner of the registered slot. */
    static final Actor ALICE = new Actor("alice", false);
    /** Member of the registered slot. */
    static final Actor BOB = new Actor("bob", false);
    /** Another member. */
    static final Actor CAROL = new Actor("carol", false);
    /** A third member, for three-deep queues. */
    static final Actor DAVE = new Actor("dave", false);
    /** Neither owner nor member. */
    static final Actor MALLORY = new Actor("mallory", false);
    /** An administrator who is neither owner nor member. */
    static final Actor ROOT = new Actor("root", true);

    static final int DEFAULT_TIMEOUT = 60;
    static final int MAX_TIMEOUT = 3600;
    /** Fence and version of {@link #registered()}, non-zero so "fence 1" is never a coincidence. */
    static final long VERSION = 7;

    private Fixture() {
    }

    static Instant at(long secondsAfterT0) {
        return T0.plusSeconds(secondsAfterT0);
    }

    static String tokenFor(String requestId) {
        return "tok-" + requestId;
    }

    // ---- states ----

    static SlotConfig config() {
        return new SlotConfig("CI env 1", "the first CI environment", List.of(ALICE.principal()),
                List.of(BOB.principal(), CAROL.principal(), DAVE.principal()), DEFAULT_TIMEOUT, MAX_TIMEOUT,
                T0.minusSeconds(3600), T0.minusSeconds(3600));
    }

    /** A registered, free slot that was never held: fence 0. */
    static SlotState registered() {
        return new SlotState(SLOT, config(), 0, null, List.of(), VERSION);
    }

    static SlotState unregistered() {
        return SlotState.empty(SLOT);
    }

    // ---- machines ----

    static SlotMachine machine() {
        return new SlotMachine(Policy.defaults());
    }

    static SlotMachine machineWithoutAutoRegister() {
        return new SlotMachine(new Policy(false, DEFAULT_TIMEOUT, Policy.defaults().maxTimeout()));
    }

    // ---- commands ----

    static Acquire acquire(String rid, Actor actor) {
        return new Acquire(rid, SLOT, actor, null, null, List.of(), 0);
    }

    static Acquire acquire(String rid, Actor actor, Integer timeout) {
        return new Acquire(rid, SLOT, actor, null, timeout, List.of(), 0);
    }

    static Acquire acquireWaiting(String rid, Actor actor, Integer timeout, int waitSeconds) {
        return new Acquire(rid, SLOT, actor, null, timeout, List.of(), waitSeconds);
    }

    static Extend extend(String rid, Actor actor, String token, int timeout) {
        return new Extend(rid, SLOT, actor, token, timeout);
    }

    static Release release(String rid, Actor actor, String token) {
        return new Release(rid, SLOT, actor, token);
    }

    static Break breakLock(String rid, Actor actor, String reason) {
        return new Break(rid, SLOT, actor, reason);
    }

    static CreateSlot create(String rid, Actor actor, SlotSpec spec) {
        return new CreateSlot(rid, SLOT, actor, spec);
    }

    static UpdateSlot update(String rid, Actor actor, SlotSpec patch) {
        return new UpdateSlot(rid, SLOT, actor, patch);
    }

    static DeleteSlot delete(String rid, Actor actor) {
        return new DeleteSlot(rid, SLOT, actor);
    }

    static Expire expire(long fence, Instant at) {
        return Expire.of(SLOT, fence, at);
    }

    static EndWait endWait(String waiterRid, Instant at) {
        return EndWait.of(SLOT, waiterRid, at);
    }

    static SlotSpec timeouts(Integer defaultTimeout, Integer maxTimeout) {
        return new SlotSpec(null, null, null, null, defaultTimeout, maxTimeout);
    }

    // ---- assertions ----

    /**
     * Bad input changes nothing: the reply is the given error, the state is exactly the input,
     * and no event, timer, history entry or other reply is produced.
     */
    /** Applies {@code command} to {@code before} at t=0 and asserts it was refused with nothing changed. */
    static void assertRefusedAtStart(SlotState before, SlotCommand command, int status, String error) {
        assertRefusedUnchanged(machine().apply(before, command, at(0), "t"), before, status, error);
    }

    static void assertRefusedUnchanged(Outcome o, SlotState before, int status, String error) {
        assertThat(o.reply()).as("reply").isNotNull();
        assertThat(o.reply().status()).as("status").isEqualTo(status);
        assertThat(o.reply().error()).as("error code").isEqualTo(error);
        assertThat(o.reply().message()).as("message").isNotBlank();
        assertThat(o.reply().isError()).isTrue();
        assertUntouched(o, before);
    }

    /** The command was a no-op: same state, nothing to persist, publish or schedule. */
    static void assertUntouched(Outcome o, SlotState before) {
        assertThat(o.changed()).as("changed").isFalse();
        assertThat(o.state()).as("state").isEqualTo(before);
        assertThat(o.events()).as("events").isEmpty();
        assertThat(o.timers()).as("timers").isEmpty();
        assertThat(o.history()).as("history").isEmpty();
        assertThat(o.otherReplies()).as("other replies").isEmpty();
    }

    static List<EventType> eventTypes(Outcome o) {
        return o.events().stream().map(LockEvent::type).toList();
    }

    static ScheduledCommand expireTimer(Hold hold) {
        return new ScheduledCommand(hold.expireAt(), Expire.of(SLOT, hold.fence(), hold.expireAt()));
    }

    /**
     * Threads a slot's state through successive commands, as the Lockkeeper would after each
     * committed write. Each grant gets the token {@code tokenFor(requestId)}.
     */
    static final class Driver {
        private final SlotMachine machine;
        private SlotState state;

        Driver(SlotMachine machine, SlotState state) {
            this.machine = machine;
            this.state = state;
        }

        static Driver registeredSlot() {
            return new Driver(machine(), registered());
        }

        SlotState state() {
            return state;
        }

        Outcome apply(SlotCommand command, Instant now) {
            Outcome o = machine.apply(state, command, now, tokenFor(command.requestId()));
            state = o.state();
            return o;
        }

        /** Applies a command that must be refused without change, and returns its outcome. */
        Outcome applyRefused(SlotCommand command, Instant now, int status, String error) {
            SlotState before = state;
            Outcome o = apply(command, now);
            assertRefusedUnchanged(o, before, status, error);
            return o;
        }

        /** Acquires for {@code actor} with {@code timeout} at {@code now}, asserting the grant; returns the hold. */
        Hold hold(String rid, Actor actor, int timeout, Instant now) {
            Outcome o = apply(acquire(rid, actor, timeout), now);
            assertThat(o.reply().status()).as("grant of " + rid).isEqualTo(200);
            return state.hold();
        }
    }
}
