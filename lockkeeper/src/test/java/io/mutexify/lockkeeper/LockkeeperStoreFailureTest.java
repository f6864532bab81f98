package io.mutexify.lockkeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.command.Actor;
import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.command.SlotCommand.Release;
import io.mutexify.model.machine.Policy;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.machine.SlotMachine;
import io.mutexify.model.port.FaultySlotStore;
import io.mutexify.model.port.InMemorySlotStore;
import io.mutexify.model.port.RecordingTimers;
import io.mutexify.model.slot.SlotState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A store that cannot commit (full disk, failed fsync): nothing is acknowledged, nothing is lost, it recovers. */
class LockkeeperStoreFailureTest {
    private static final Actor ANN = new Actor("ann", false);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final InMemorySlotStore real = new InMemorySlotStore();
    private final FaultySlotStore store = new FaultySlotStore(real);
    private final List<Reply> sent = new ArrayList<>();
    private final List<ScheduledCommand> scheduled = new ArrayList<>();
    private final List<SlotState> changes = new ArrayList<>();
    private final AtomicInteger tokenSeq = new AtomicInteger();
    private final Lockkeeper keeper = Lockkeeper.builder()
            .store(store)
            .machine(new SlotMachine(Policy.defaults()))
            .replies(sent::add)
            .timers(new RecordingTimers(scheduled))
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .tokens(() -> "tok" + tokenSeq.incrementAndGet())
            .listeners(List.of(changes::add))
            .build();

    private static Acquire acquire(String rid) {
        return new Acquire(rid, "s", ANN, null, 30, List.of(), 0);
    }

    @Test
    void aFailedCommitAnswers503OncePerRequestAndAcknowledgesNothing() {
        keeper.handle("s", List.of(acquire("a1")));
        SlotState acknowledged = real.load("s");
        int commits = real.commits();
        sent.clear();
        changes.clear();
        scheduled.clear();
        store.failing.set(true);

        keeper.handle("s", List.of(new Release("r1", "s", ANN, "tok1"), acquire("a2"), acquire("a2")));

        assertThat(sent).extracting(Reply::requestId, Reply::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("r1", 503), org.assertj.core.groups.Tuple.tuple("a2", 503));
        assertThat(sent).allSatisfy(r -> assertThat(r.error()).isEqualTo("store_unavailable"));
        assertThat(real.load("s")).as("the acknowledged grant is still there, nothing else").isEqualTo(acknowledged);
        assertThat(real.commits()).isEqualTo(commits);
        assertThat(real.findReply("r1")).as("a 503 is not recorded").isEmpty();
        assertThat(changes).as("no watcher saw an uncommitted state").isEmpty();
        assertThat(scheduled).as("no timer of an uncommitted grant").isEmpty();
    }

    @Test
    void afterTheFaultClearsTheSameRequestsAreAppliedAndTheCacheHoldsNothingUncommitted() {
        keeper.handle("s", List.of(acquire("a1")));
        store.failing.set(true);
        keeper.handle("s", List.of(new Release("r1", "s", ANN, "tok1")));
        store.failing.set(false);
        sent.clear();

        keeper.handle("s", List.of(new Release("r1", "s", ANN, "tok1"), acquire("a2")));

        assertThat(sent).extracting(Reply::requestId, Reply::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("r1", 204), org.assertj.core.groups.Tuple.tuple("a2", 200));
        assertThat(real.load("s").hold().id()).isEqualTo("a2");
        assertThat(real.load("s").fence()).isEqualTo(2);
    }

    @Test
    void aRetryOfARequestWaitingInLineKeepsItsPlaceAndIsNotAnswered503() {
        keeper.handle("s", List.of(acquire("a1")));
        Acquire waits = new Acquire("w1", "s", ANN, null, 30, List.of(), 10);
        keeper.handle("s", List.of(waits));
        sent.clear();
        store.failing.set(true);

        keeper.handle("s", List.of(waits, acquire("a2")));

        assertThat(sent).extracting(Reply::requestId).as("only the new request").containsExactly("a2");
        store.failing.set(false);
        keeper.handle("s", List.of(new Release("r1", "s", ANN, "tok1")));
        assertThat(sent).extracting(Reply::requestId, Reply::status).containsSubsequence(
                org.assertj.core.groups.Tuple.tuple("w1", 200));
        assertThat(real.load("s").hold().id()).isEqualTo("w1");
    }

    @Test
    void timersOfARefusedBatchAreScheduledAgainNotLost() {
        keeper.handle("s", List.of(acquire("a1")));
        SlotCommand expiry = scheduled.get(0).command();
        keeper.handle("s", List.of(new Acquire("w9", "s", ANN, null, 30, List.of(), 10)));
        scheduled.clear();
        store.failing.set(true);

        // The cancel changes the slot, so this batch needs a commit, and the store refuses it.
        keeper.handle("s", List.of(expiry, SlotCommand.CancelWait.of("s", ANN, "w9")));

        assertThat(scheduled).extracting(ScheduledCommand::command).containsExactly(expiry,
                SlotCommand.CancelWait.of("s", ANN, "w9"));
        assertThat(scheduled).allSatisfy(t -> assertThat(t.at()).isEqualTo(NOW.plus(Lockkeeper.STORE_RETRY_PAUSE)));
        assertThat(store.refused.get()).isEqualTo(1);
        assertThat(real.load("s").waiters()).as("not cancelled yet: the cancel comes again").hasSize(1);
        assertThat(sent).extracting(Reply::requestId).containsExactly("a1");
    }
}
