package io.mutexify.lockkeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mutexify.model.command.Actor;
import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.machine.Policy;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.machine.SlotMachine;
import io.mutexify.model.port.FlakyScheduler;
import io.mutexify.model.port.InMemorySlotStore;
import io.mutexify.model.port.StoreUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A failure after the commit (timer queue, reply queue) is healed by the redelivery it causes. */
class TimersAfterFailureTest {
    private static final Actor ANN = new Actor("ann", false);
    private static final Actor BOB = new Actor("bob", true);

    private final InMemorySlotStore store = new InMemorySlotStore();
    private final List<Reply> sent = new ArrayList<>();
    private final List<ScheduledCommand> scheduled = new ArrayList<>();
    private final FlakyScheduler timers = FlakyScheduler.recording(scheduled);
    private final AtomicInteger replyFailures = new AtomicInteger();
    /** Whether a failing reply send fails as a store read would (looking up the reply's address). */
    private boolean replyFailsInStore;
    private final AtomicInteger tokens = new AtomicInteger();

    private Lockkeeper keeper() {
        return Lockkeeper.builder()
                .store(store)
                .machine(new SlotMachine(Policy.defaults()))
                .replies(r -> {
                    if (replyFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw replyFailsInStore ? new StoreUnavailableException("reply address unreadable")
                                : new IllegalStateException("reply queue down");
                    }
                    sent.add(r);
                })
                .timers(timers)
                .clock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))
                .tokens(() -> "tok" + tokens.incrementAndGet())
                .build();
    }

    private static Acquire acquire(String rid, Actor who, int wait) {
        return new Acquire(rid, "s", who, null, 30, List.of(), wait);
    }

    private static List<String> kinds(List<ScheduledCommand> timers) {
        return timers.stream().map(t -> t.command().getClass().getSimpleName()).toList();
    }

    @Test
    void aTimerSchedulerThatThrowsOnceAfterCommitStillGetsTheExpiryOnTheReplay() {
        Lockkeeper keeper = keeper();
        keeper.handle("s", List.of(acquire("warm", ANN, 0))); // the slot is cached: a same-instance replay
        keeper.handle("s", List.of(new SlotCommand.Release("rel", "s", ANN, "tok1")));
        scheduled.clear();
        sent.clear();

        timers.failSchedules.set(1);
        assertThatThrownBy(() -> keeper.handle("s", List.of(acquire("a1", ANN, 0)))).hasMessageContaining("timer queue");
        assertThat(store.load("s").hold()).as("committed before the failure").isNotNull();
        assertThat(sent).as("no reply before the timers are armed").isEmpty();

        keeper.handle("s", List.of(acquire("a1", ANN, 0))); // the redelivery
        assertThat(sent).extracting(Reply::requestId, Reply::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a1", 200));
        assertThat(scheduled).extracting(ScheduledCommand::command)
                .contains(SlotCommand.Expire.of("s", store.load("s").hold().fence(), store.load("s").hold().expireAt()));
    }

    @Test
    void aReplayOnAnotherInstanceRearmsTheHoldAndEveryWaiter() {
        keeper().handle("s", List.of(acquire("a1", ANN, 0), acquire("b1", BOB, 10)));
        scheduled.clear();
        // Another instance gets the redelivery of a batch whose timers never went out.
        keeper().handle("s", List.of(acquire("a1", ANN, 0)));
        assertThat(kinds(scheduled)).containsExactlyInAnyOrder("Expire", "EndWait");
    }

    @Test
    void aReplyQueueFailureAfterCommitIsRepliedAndRearmedOnTheReplay() {
        Lockkeeper keeper = keeper();
        keeper.handle("s", List.of(acquire("a1", ANN, 0)));
        scheduled.clear();
        replyFailures.set(1);
        String token = store.load("s").hold().token();
        keeper.handle("s", List.of(acquire("b1", BOB, 10)));
        assertThatThrownBy(() -> keeper.handle("s", List.of(new SlotCommand.Release("r1", "s", ANN, token))))
                .hasMessageContaining("reply queue");
        scheduled.clear();
        keeper.handle("s", List.of(new SlotCommand.Release("r1", "s", ANN, token)));
        assertThat(sent).extracting(Reply::requestId).contains("r1");
        assertThat(store.findReply("b1")).as("the waiter's grant, for its poll of /api/v1/requests").isPresent();
        assertThat(scheduled).extracting(ScheduledCommand::command).as("the granted waiter's expiry")
                .contains(SlotCommand.Expire.of("s", store.load("s").hold().fence(), store.load("s").hold().expireAt()));
    }

    @Test
    void aStoreFailureAfterCommitIsNoRefusalTheRedeliveryAnswersFromTheStoredReply() {
        Lockkeeper keeper = keeper();
        replyFailsInStore = true;
        replyFailures.set(1);
        assertThatThrownBy(() -> keeper.handle("s", List.of(acquire("a1", ANN, 0))))
                .as("thrown, so the message is redelivered").hasMessageContaining("after commit");
        assertThat(sent).as("no 503 for a change that committed").isEmpty();
        assertThat(store.load("s").hold()).isNotNull();

        keeper.handle("s", List.of(acquire("a1", ANN, 0))); // the redelivery
        assertThat(sent).extracting(Reply::requestId, Reply::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a1", 200));
    }
}
