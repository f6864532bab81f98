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
import io.mutexify.model.port.InMemorySlotStore;
import io.mutexify.model.port.RecordingTimers;
import io.mutexify.model.port.OutboxEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The same request id arriving again, at the Lockkeeper: one answer per request, one content per event id. */
class LockkeeperRetryTest {
    private static final Actor ANN = new Actor("ann", false);
    private static final Actor BOB = new Actor("bob", true);
    private static final Actor CID = new Actor("cid", true);

    private final InMemorySlotStore store = new InMemorySlotStore();
    private final List<Reply> sent = new ArrayList<>();
    private final List<ScheduledCommand> scheduled = new ArrayList<>();
    private final AtomicInteger tokenSeq = new AtomicInteger();
    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Lockkeeper keeper = Lockkeeper.builder()
            .store(store)
            .machine(new SlotMachine(Policy.defaults()))
            .replies(sent::add)
            .timers(new RecordingTimers(scheduled))
            .clock(clock)
            .tokens(() -> "tok" + tokenSeq.incrementAndGet())
            .build();

    private static Acquire acquire(String rid, Actor who, int timeout, int wait) {
        return new Acquire(rid, "s", who, null, timeout, List.of(), wait);
    }

    private List<Reply> answersTo(String rid) {
        return sent.stream().filter(r -> r.requestId().equals(rid)).toList();
    }

    private SlotCommand endWaitTimerOf(String rid) {
        return scheduled.stream().map(ScheduledCommand::command)
                .filter(c -> c instanceof SlotCommand.EndWait w && w.waiterRequestId().equals(rid))
                .findFirst().orElseThrow();
    }

    /** Ann holds for 30 s; Bob's acquire waits behind her for 5 s. */
    private Acquire bobWaitsBehindAnn() {
        Acquire bobWaits = acquire("b1", BOB, 30, 5);
        keeper.handle("s", List.of(acquire("a1", ANN, 30, 0)));
        keeper.handle("s", List.of(bobWaits));
        return bobWaits;
    }

    @Test
    void aWaitingAcquireRetriedAfterItsWaitEndedAnswers409AndIsNeverGranted() {
        Acquire bobWaits = bobWaitsBehindAnn();
        clock.advance(Duration.ofSeconds(6));

        // The retry lands before the end-of-wait timer: twice in one batch, then once more alone.
        keeper.handle("s", List.of(bobWaits, bobWaits));
        keeper.handle("s", List.of(endWaitTimerOf("b1")));
        keeper.handle("s", List.of(bobWaits));
        keeper.handle("s", List.of(new Release("r1", "s", ANN, "tok1")));
        keeper.handle("s", List.of(bobWaits));

        assertThat(answersTo("b1")).hasSize(4).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(409);
            assertThat(r).isEqualTo(answersTo("b1").get(0));
        });
        assertThat(store.findReply("b1")).contains(answersTo("b1").get(0));
        assertThat(store.load("s").hold()).as("released, and never handed to b1").isNull();
        assertThat(store.load("s").waiters()).isEmpty();
    }

    @Test
    void aRetryOfARequestAnsweredByItsTimerGetsTheStoredAnswer() {
        Acquire bobWaits = bobWaitsBehindAnn();
        clock.advance(Duration.ofSeconds(5));
        keeper.handle("s", List.of(endWaitTimerOf("b1")));
        int commits = store.commits();

        keeper.handle("s", List.of(new Release("r1", "s", ANN, "tok1"), bobWaits));

        assertThat(answersTo("b1")).extracting(Reply::status).containsExactly(409, 409);
        assertThat(store.load("s").hold()).isNull();
        assertThat(store.commits()).isEqualTo(commits + 1);
    }

    @Test
    void retriesThatSettleTheSlotNeverPutTwoEventsUnderOneId() {
        Acquire cidWaits = acquire("c1", CID, 10, 60);
        keeper.handle("s", List.of(acquire("a1", ANN, 10, 0)));
        keeper.handle("s", List.of(acquire("b1", BOB, 10, 60)));
        keeper.handle("s", List.of(cidWaits));

        clock.advance(Duration.ofSeconds(11)); // ann's hold expired: the retry hands it to bob
        keeper.handle("s", List.of(cidWaits));
        clock.advance(Duration.ofSeconds(11)); // bob's expired: the next retry hands it to cid
        keeper.handle("s", List.of(cidWaits));
        keeper.handle("s", List.of(cidWaits));

        List<OutboxEntry> outbox = store.outboxAfter(0, 1000);
        assertThat(outbox).hasSize(6); // created, acquired, expired, acquired, expired, acquired
        assertThat(outbox).extracting(e -> e.event().id()).doesNotHaveDuplicates();
        assertThat(answersTo("c1")).extracting(Reply::status).containsExactly(200, 200);
        assertThat(answersTo("c1").get(1)).isEqualTo(answersTo("c1").get(0));
        assertThat(store.load("s").hold().principal()).isEqualTo("cid");
    }
}
