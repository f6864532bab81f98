package io.mutexify.lockkeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.command.Actor;
import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.command.SlotCommand.CheckPolls;
import io.mutexify.model.command.SlotCommand.Release;
import io.mutexify.model.command.SlotCommand.StillWaiting;
import io.mutexify.model.machine.Policy;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.machine.SlotMachine;
import io.mutexify.model.port.InMemorySlotStore;
import io.mutexify.model.port.RecordingTimers;
import io.mutexify.model.slot.Waiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A long wait through the Lockkeeper: its poll deadline is stored with the slot, a poll is one
 * commit and schedules nothing, the check timer is moved lazily and rebuilt from the store, and a
 * waiter nobody polls leaves the line with a stored answer and is never granted.
 */
class LockkeeperLongWaitTest {
    private static final Actor ANN = new Actor("ann", false);
    private static final Actor BOB = new Actor("bob", true);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final InMemorySlotStore store = new InMemorySlotStore();
    private final List<Reply> sent = new ArrayList<>();
    private final List<ScheduledCommand> scheduled = new ArrayList<>();
    private final SteppingClock clock = new SteppingClock(T0);
    private final Lockkeeper keeper = Lockkeeper.builder()
            .store(store)
            .machine(new SlotMachine(Policy.defaults().withPollGrace(GRACE)))
            .replies(sent::add)
            .timers(new RecordingTimers(scheduled))
            .clock(clock)
            .build();

    private Waiter waiter() {
        return store.load("s").waiters().get(0);
    }

    /** Ann holds s; Bob waits an hour in a long wait whose first call is held 70 s. */
    private String annHoldsAndBobWaitsLong() {
        keeper.handle("s", List.of(new Acquire("a1", "s", ANN, null, 3600, List.of(), 0)));
        keeper.handle("s", List.of(new Acquire("b1", "s", BOB, null, 60, List.of(), 3600).asLongWait(70)));
        return store.load("s").hold().token();
    }

    private static List<String> kinds(List<ScheduledCommand> timers) {
        return timers.stream().map(t -> t.command().getClass().getSimpleName()).toList();
    }

    @Test
    void aPollIsOneCommitThatMovesTheStoredDeadlineAndSchedulesNothing() {
        annHoldsAndBobWaitsLong();
        assertThat(kinds(scheduled)).containsExactlyInAnyOrder("Expire", "EndWait", "CheckPolls");
        assertThat(waiter().pollBy()).isEqualTo(T0.plusSeconds(70).plus(GRACE));
        int commits = store.commits();
        scheduled.clear();

        clock.advance(Duration.ofSeconds(80));
        keeper.handle("s", List.of(StillWaiting.of("s", BOB, "b1", 20)));

        assertThat(store.commits()).isEqualTo(commits + 1);
        assertThat(waiter().pollBy()).isEqualTo(T0.plusSeconds(100).plus(GRACE));
        assertThat(scheduled).isEmpty();
        assertThat(sent).extracting(Reply::requestId).containsExactly("a1");

        keeper.handle("s", List.of(StillWaiting.of("s", BOB, "b1", 20)));
        keeper.handle("s", List.of(StillWaiting.of("s", ANN, "b1", 60)));
        assertThat(store.commits()).as("a redelivered poll, or another principal's, writes nothing").isEqualTo(commits + 1);
    }

    @Test
    void theCheckTimerMovesLazilyIsRebuiltFromTheStoreAndItsStaleCopiesAreObsolete() {
        annHoldsAndBobWaitsLong();
        Instant firstCheck = waiter().pollCheckAt();
        CheckPolls first = CheckPolls.of("s", "b1", firstCheck);
        clock.advance(Duration.ofSeconds(80));
        keeper.handle("s", List.of(StillWaiting.of("s", BOB, "b1", 20)));
        Instant moved = waiter().pollBy();
        assertThat(keeper.isObsolete(first)).as("still the armed check").isFalse();
        scheduled.clear();

        clock.set(firstCheck);
        keeper.handle("s", List.of(first));

        assertThat(store.load("s").waiters()).extracting(Waiter::requestId).containsExactly("b1");
        assertThat(scheduled).extracting(ScheduledCommand::command).containsExactly(CheckPolls.of("s", "b1", moved));
        assertThat(keeper.isObsolete(first)).isTrue();
        assertThat(keeper.isObsolete(CheckPolls.of("s", "b1", moved))).isFalse();

        scheduled.clear();
        keeper.rearmTimers();
        assertThat(scheduled).extracting(ScheduledCommand::command).contains(CheckPolls.of("s", "b1", moved));
    }

    @Test
    void aWaiterNobodyPollsLeavesWithAStoredAnswerAndIsNeverGranted() {
        String annsToken = annHoldsAndBobWaitsLong();
        Instant due = waiter().pollBy();

        clock.set(due);
        keeper.handle("s", List.of((SlotCommand) CheckPolls.of("s", "b1", due)));

        assertThat(store.load("s").waiters()).isEmpty();
        assertThat(sent).extracting(Reply::requestId, Reply::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a1", 200), org.assertj.core.groups.Tuple.tuple("b1", 409));
        assertThat(store.findReply("b1")).as("the one answer of b1, for its polls and retries").contains(sent.get(1));

        clock.advance(Duration.ofSeconds(1));
        keeper.handle("s", List.of(new Release("r1", "s", ANN, annsToken)));
        assertThat(store.load("s").hold()).as("nobody was waiting any more").isNull();
        keeper.handle("s", List.of(new Acquire("b1", "s", BOB, null, 60, List.of(), 3600).asLongWait(70)));
        assertThat(sent.get(sent.size() - 1)).as("a retry gets the same answer").isEqualTo(sent.get(1));
        assertThat(store.load("s").hold()).isNull();
    }
}
