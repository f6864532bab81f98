package io.mutexify.frontface.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.command.Actor;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.machine.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A long wait stays in line while polled, and leaves it once nobody polls for the grace period. */
class LongWaitsTest {
    private static final Duration GRACE = Duration.ofMillis(400);
    private final ReplyWaiter replies = new ReplyWaiter();
    private final List<String> leftLine = new CopyOnWriteArrayList<>();
    private final LongWaits waits = new LongWaits(GRACE, replies, a -> leftLine.add(a.requestId()));

    /** Waits until {@code rid} left the line, at most 3 s. */
    private void awaitLeft(String rid) throws InterruptedException {
        long until = System.nanoTime() + 3_000_000_000L;
        while (!leftLine.contains(rid) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(leftLine).contains(rid);
    }

    private Acquire waiting(String rid) {
        replies.expect(rid); // sent, not answered
        return new Acquire(rid, "s1", new Actor("ann", false), "job-1", 60, List.of(), 3600);
    }

    @Test
    void aLongWaitNobodyPollsLeavesTheLine() throws Exception {
        waits.track(waiting("r-1"));
        awaitLeft("r-1");
        assertThat(waits.isTracked("r-1")).isFalse();
    }

    @Test
    void pollsKeepItInLineAndAnOpenPollCountsAsPolling() throws Exception {
        waits.track(waiting("r-2"));
        for (int i = 0; i < 6; i++) {
            Thread.sleep(150);
            waits.pollStarted("r-2");
            waits.pollEnded("r-2");
        }
        waits.pollStarted("r-2");
        Thread.sleep(GRACE.toMillis() * 2); // a long poll held open
        assertThat(leftLine).isEmpty();
        waits.pollEnded("r-2");
        awaitLeft("r-2");
    }

    @Test
    void anAnsweredWaitIsForgottenNotCancelled() throws Exception {
        waits.track(waiting("r-3"));
        replies.send(Reply.noContent("r-3", "s1"));
        Thread.sleep(GRACE.toMillis() * 2);
        assertThat(leftLine).isEmpty();
        assertThat(waits.isTracked("r-3")).isFalse();
    }

    @Test
    void onlyItsOwnPrincipalCancelsIt() {
        waits.track(waiting("r-4"));
        assertThat(waits.cancel("r-4", "bob")).isFalse();
        assertThat(waits.cancel("r-4", "ann")).isTrue();
        assertThat(leftLine).containsExactly("r-4");
    }
}
