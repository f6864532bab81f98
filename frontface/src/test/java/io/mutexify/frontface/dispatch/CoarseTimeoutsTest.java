package io.mutexify.frontface.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Deadlines on a coarse grid: never early, at most a step late, one timer task per step, nothing left behind. */
class CoarseTimeoutsTest {
    private final CoarseTimeouts timeouts = new CoarseTimeouts();

    @Test
    void aFutureNotDoneInTimeFailsWithATimeoutNeverBeforeItsDeadline() throws Exception {
        long started = System.nanoTime();
        CompletableFuture<String> f = timeouts.orTimeout(new CompletableFuture<>(), 200, TimeUnit.MILLISECONDS);

        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(200);
        assertThat(timeouts.pendingSteps()).isZero();
    }

    @Test
    void aFutureDoneInTimeKeepsItsValueAndIsForgotten() throws Exception {
        CompletableFuture<String> f = timeouts.orTimeout(new CompletableFuture<>(), 100, TimeUnit.MILLISECONDS);
        f.complete("answer");

        Thread.sleep(300);
        assertThat(f.get()).isEqualTo("answer");
        assertThat(timeouts.pendingSteps()).isZero();
    }

    @Test
    void futuresDueTogetherShareOneStepAndAllTimeOut() {
        List<CompletableFuture<Object>> many = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            many.add(timeouts.orTimeout(new CompletableFuture<>(), 60, TimeUnit.SECONDS));
        }
        // 1,000 calls within well under a step (60 s / 64) land in one or two steps, not 1,000 timer tasks.
        assertThat(timeouts.pendingSteps()).isBetween(1, 2);

        List<CompletableFuture<Object>> soon = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            soon.add(timeouts.orTimeout(new CompletableFuture<>(), 50, TimeUnit.MILLISECONDS));
        }
        CompletableFuture.allOf(soon.stream().map(f -> f.exceptionally(e -> e)).toArray(CompletableFuture[]::new))
                .orTimeout(5, TimeUnit.SECONDS).join();
        assertThat(soon).allMatch(CompletableFuture::isCompletedExceptionally);
        assertThat(many).noneMatch(CompletableFuture::isDone);
    }

    @Test
    void aTimeoutOfZeroFailsAtOnceAndADoneFutureIsLeftAlone() throws Exception {
        CompletableFuture<String> now = timeouts.orTimeout(new CompletableFuture<>(), 0, TimeUnit.MILLISECONDS);
        assertThatThrownBy(() -> now.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);

        CompletableFuture<String> done = timeouts.orTimeout(CompletableFuture.completedFuture("x"), 1, TimeUnit.MILLISECONDS);
        assertThat(done.get()).isEqualTo("x");
    }

    @Test
    void anEndlessTimeoutDoesNotOverflowIntoAnImmediateOne() throws Exception {
        CompletableFuture<String> f = timeouts.orTimeout(new CompletableFuture<>(), Long.MAX_VALUE, TimeUnit.NANOSECONDS);

        Thread.sleep(100);
        assertThat(f).isNotDone();
    }
}
