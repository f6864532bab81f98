package io.mutexify.frontface.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.command.Actor;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.command.SlotCommand.CancelWait;
import io.mutexify.model.command.SlotCommand.StillWaiting;
import io.mutexify.model.port.PendingRequests;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A long wait's polls and cancels go to its slot, from whichever instance they reach, for its own principal only. */
class LongWaitsTest {
    private static final Actor ANN = new Actor("ann", false);
    private static final Actor BOB = new Actor("bob", false);

    private final RecordingQueue queue = new RecordingQueue();

    /** The durable records another instance wrote, with a count of reads. */
    private final Map<String, PendingRequests.LongWait> records = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final PendingRequests durable = new PendingRequests() {
        @Override
        public void sent(SlotCommand command, ReplyAddress replyTo) {
        }

        @Override
        public boolean isPending(String requestId) {
            return records.containsKey(requestId);
        }

        @Override
        public Optional<ReplyAddress> replyAddress(String requestId) {
            return Optional.empty();
        }

        @Override
        public Optional<LongWait> longWait(String requestId) {
            reads.incrementAndGet();
            return Optional.ofNullable(records.get(requestId));
        }
    };

    private static Acquire longWait(String rid) {
        return new Acquire(rid, "s1", ANN, "job-1", 60, List.of(), 3600).asLongWait(70);
    }

    @Test
    void aPollOfAWaitThisInstanceAnsweredTellsItsSlotHowLongThePollIsHeld() {
        LongWaits waits = new LongWaits(queue, PendingRequests.NONE);
        waits.started(longWait("r-1"));

        waits.polled(ANN, "r-1", Duration.ofMillis(20_500));

        assertThat(queue.sent()).containsExactly(StillWaiting.of("s1", ANN, "r-1", 21));
    }

    @Test
    void aBurstOfPollsIsPassedOnOnceAndALaterOneAgain() throws Exception {
        LongWaits waits = new LongWaits(queue, PendingRequests.NONE);
        waits.started(longWait("r-5"));

        waits.polled(ANN, "r-5", Duration.ZERO);
        waits.polled(ANN, "r-5", Duration.ZERO);
        waits.polled(ANN, "r-5", Duration.ZERO);
        assertThat(queue.sent()).as("the deadline the first set covers the others").hasSize(1);

        waits.polled(ANN, "r-5", Duration.ofSeconds(20));
        assertThat(queue.sent()).as("a poll held longer moves the deadline on").hasSize(2);

        Thread.sleep(LongWaits.MIN_STEP.toMillis() + 50);
        waits.polled(ANN, "r-5", Duration.ofSeconds(20));
        assertThat(queue.sent()).hasSize(3);
    }

    @Test
    void anotherPrincipalsPollOrAnUnknownRequestSendsNothing() {
        LongWaits waits = new LongWaits(queue, PendingRequests.NONE);
        waits.started(longWait("r-2"));

        waits.polled(BOB, "r-2", Duration.ofSeconds(20));
        waits.polled(ANN, "r-unknown", Duration.ofSeconds(20));

        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void aWaitAnotherInstanceAnsweredIsFoundInItsRecordOnce() {
        records.put("r-3", new PendingRequests.LongWait("s1", "ann"));
        LongWaits waits = new LongWaits(queue, durable);

        waits.polled(ANN, "r-3", Duration.ofSeconds(20));
        waits.polled(ANN, "r-3", Duration.ofSeconds(40));
        waits.polled(BOB, "r-3", Duration.ofSeconds(60));

        assertThat(queue.sent()).containsExactly(StillWaiting.of("s1", ANN, "r-3", 20), StillWaiting.of("s1", ANN, "r-3", 40));
        assertThat(reads).as("read once, then known here").hasValue(1);
    }

    @Test
    void onlyItsOwnPrincipalWithdrawsItAndItsRecordStaysForTheAnswer() {
        records.put("r-4", new PendingRequests.LongWait("s1", "ann"));
        LongWaits waits = new LongWaits(queue, durable);

        assertThat(waits.cancel(BOB, "r-4")).isFalse();
        assertThat(queue.sent()).isEmpty();
        assertThat(waits.cancel(ANN, "r-4")).isTrue();

        assertThat(queue.sent()).containsExactly(CancelWait.withdrawn("s1", ANN, "r-4"));
        assertThat(records).as("the slot's answer is sent to the address the record keeps").containsKey("r-4");
        assertThat(waits.cancel(ANN, "r-nobody")).isFalse();
    }
}
