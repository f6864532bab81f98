package io.mutexify.embedded.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.port.CommandQueue;
import io.mutexify.model.port.SessionHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Runs the queue contract against the in-process queue, plus what only it promises. */
class InProcessSessionQueueTest extends SessionQueueContract {

    private static QueueSettings fast() {
        return QueueSettings.defaults()
                .withWorkers(4)
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(20))
                .withCloseTimeout(Duration.ofSeconds(2));
    }

    @Override
    protected CommandQueue startQueue(SessionHandler handler, Limits limits) {
        InProcessSessionQueue queue = new InProcessSessionQueue(fast()
                .withCapacity(limits.capacity())
                .withMaxDeliveries(limits.maxDeliveries())
                .withDeadLetter(limits.deadLetter()));
        queue.start(handler);
        return queue;
    }

    @Override
    protected void stopQueue(CommandQueue queue) {
        ((InProcessSessionQueue) queue).close();
    }

    @Test
    void neverHandsOverMoreThanMaxBatch() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        try (InProcessSessionQueue queue = new InProcessSessionQueue(fast().withMaxBatch(5))) {
            queue.start((slot, batch) -> {
                release.await(5, TimeUnit.SECONDS);
                sizes.add(batch.size());
            });
            for (int i = 0; i < 23; i++) {
                queue.send(cmd("s", "c" + i));
            }
            release.countDown();
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(23));
            assertThat(sizes).allSatisfy(n -> assertThat(n).isBetween(1, 5));
            assertThat(queue.queuedClientCommands()).isZero();
        }
    }

    @Test
    void closeLetsInFlightBatchFinishAndStopsAccepting() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        InProcessSessionQueue queue = new InProcessSessionQueue(fast());
        queue.start((slot, batch) -> {
            inside.countDown();
            Thread.sleep(200);
            finished.set(true);
        });
        assertThat(queue.isReachable()).isTrue();
        queue.send(cmd("s", "slow"));
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();

        queue.close();

        assertThat(finished).isTrue();
        assertThat(queue.isReachable()).isFalse();
        assertThatThrownBy(() -> queue.send(cmd("s", "late"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesToSendBeforeStart() {
        InProcessSessionQueue queue = new InProcessSessionQueue(fast());
        assertThat(queue.isReachable()).isFalse();
        assertThatThrownBy(() -> queue.send(cmd("s", "early"))).isInstanceOf(IllegalStateException.class);
        queue.close();
    }

    @Test
    void armsTimersScheduledBeforeStart() throws Exception {
        // The Lockkeeper re-arms timers from the store before the queue starts handing it commands.
        List<String> handled = new CopyOnWriteArrayList<>();
        try (InProcessSessionQueue queue = new InProcessSessionQueue(fast())) {
            queue.schedule(new ScheduledCommand(Instant.now().minusSeconds(1), cmd("s", "overdue")));
            queue.schedule(new ScheduledCommand(Instant.now().plusMillis(100), cmd("s", "soon")));
            assertThat(queue.pendingTimers()).isEqualTo(2);
            Thread.sleep(150);

            queue.start((slot, batch) -> batch.forEach(c -> handled.add(c.requestId())));

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(handled).containsExactly("overdue", "soon"));
            assertThat(queue.pendingTimers()).isZero();
        }
    }

    @Test
    void dropsDueTimersTheFilterCallsObsoleteAndDeliversTheRest() throws Exception {
        List<String> handled = new CopyOnWriteArrayList<>();
        try (InProcessSessionQueue queue = new InProcessSessionQueue(fast())) {
            queue.start((slot, batch) -> batch.forEach(c -> handled.add(c.requestId())),
                    timer -> timer.requestId().startsWith("stale"));
            queue.schedule(new ScheduledCommand(Instant.now().plusMillis(20), cmd("s", "stale-1")));
            queue.schedule(new ScheduledCommand(Instant.now().plusMillis(40), cmd("s", "due-1")));
            queue.send(cmd("s", "stale-but-sent")); // the filter is for due timers only

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(handled).containsExactlyInAnyOrder("due-1", "stale-but-sent"));
            assertThat(queue.pendingTimers()).isZero();
        }
    }

    @Test
    void holdsScheduledCommandWhenTheClockWasSetBack() throws Exception {
        // A clock running 10 s behind the JVM's timer: the command must wait for this clock.
        Instant base = Instant.now();
        AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.now().plus(offset.get());
            }
        };
        List<SlotCommand> handled = new CopyOnWriteArrayList<>();
        AtomicReference<Instant> deliveredAt = new AtomicReference<>();
        try (InProcessSessionQueue queue = new InProcessSessionQueue(fast().withClock(clock))) {
            queue.start((slot, batch) -> {
                deliveredAt.set(clock.instant());
                handled.addAll(batch);
            });
            queue.schedule(new ScheduledCommand(base.plusMillis(100), cmd("s", "t")));
            offset.set(Duration.ofMillis(-600)); // set back after arming
            Thread.sleep(300);
            assertThat(handled).isEmpty();
            assertThat(queue.pendingTimers()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> handled.size() == 1);
            assertThat(deliveredAt.get()).isAfterOrEqualTo(base.plusMillis(100));
        }
    }

    @Test
    void theHandlerIsToldWhetherABatchIsDeliveredForTheFirstTime() {
        List<Boolean> firstDeliveries = new CopyOnWriteArrayList<>();
        AtomicBoolean failOnce = new AtomicBoolean(true);
        try (InProcessSessionQueue queue = new InProcessSessionQueue(fast())) {
            queue.start(new SessionHandler() {
                @Override
                public void handle(String slotId, List<SlotCommand> batch) {
                    throw new AssertionError("the queue says whether it is a first delivery");
                }

                @Override
                public void handle(String slotId, List<SlotCommand> batch, boolean firstDelivery) {
                    firstDeliveries.add(firstDelivery);
                    if (failOnce.getAndSet(false)) {
                        throw new IllegalStateException("fails once, so the batch comes again");
                    }
                }
            });
            queue.send(cmd("s", "a"));
            await().atMost(Duration.ofSeconds(5)).until(() -> firstDeliveries.size() == 2);
            queue.send(cmd("s", "b"));
            await().atMost(Duration.ofSeconds(5)).until(() -> firstDeliveries.size() == 3);
        }
        assertThat(firstDeliveries).containsExactly(true, false, true);
    }

    @Test
    void aSessionFinishedLaterKeepsItsOrderWhileTheWorkerServesOtherSessions() throws Exception {
        FirstBatchLater handler = new FirstBatchLater("slow", false);
        List<String> handled = handler.handled;
        try (InProcessSessionQueue queue = new InProcessSessionQueue(fast().withWorkers(1))) {
            queue.start(handler);
            queue.send(cmd("slow", "s1"));
            await().atMost(Duration.ofSeconds(5)).until(() -> handler.first.get() != null);
            queue.send(cmd("slow", "s2"));
            queue.send(cmd("other", "o1"));
            // The one worker is free: another session goes on; the slow session waits for its batch.
            await().atMost(Duration.ofSeconds(5)).until(() -> handled.contains("o1"));
            assertThat(handled).doesNotContain("s2");

            // The batch fails after all: it comes again before anything later on its session.
            handler.first.get().completeExceptionally(new IllegalStateException("failed after the handler returned"));
            await().atMost(Duration.ofSeconds(5)).until(() -> handled.contains("s2"));
        }
        assertThat(handled).containsSubsequence("s1", "s1 again", "s2");
    }

    @Test
    void aHandlerThatNeverBlocksRunsOnTheSendersThreadAndOnTheThreadThatFinishedTheLastBatch() throws Exception {
        FirstBatchLater handler = new FirstBatchLater(null, true);
        List<String> threads = handler.threads;
        try (InProcessSessionQueue queue = new InProcessSessionQueue(fast())) {
            queue.start(handler);
            String me = Thread.currentThread().getName();
            queue.send(cmd("s", "a"));
            assertThat(threads).containsExactly("a@" + me);

            queue.send(cmd("s", "b")); // the session is busy: b waits for a's batch to finish
            Thread completer = new Thread(() -> handler.first.get().complete(null), "commit-completer");
            completer.start();
            completer.join();
            assertThat(threads).containsExactly("a@" + me, "b@commit-completer");
        }
    }

    @Test
    void aHandlerThatMayBlockIsAlwaysRunByAWorker() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        try (InProcessSessionQueue queue = new InProcessSessionQueue(fast())) {
            queue.start((slotId, batch) -> threads.add(Thread.currentThread().getName()));
            queue.send(cmd("s", "a"));
            await().atMost(Duration.ofSeconds(5)).until(() -> threads.size() == 1);
        }
        assertThat(threads.get(0)).startsWith("mutexify-queue-worker-");
    }

    /**
     * A handler that leaves the first batch (of {@code slot}, or of any slot if null) unfinished, as a
     * commit not yet completed, and finishes the rest at once; it notes each command it is handed,
     * with " again" on a redelivery, and on which thread.
     */
    private static final class FirstBatchLater implements SessionHandler {
        final List<String> handled = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final AtomicReference<CompletableFuture<Void>> first = new AtomicReference<>();
        private final String slot;
        private final boolean handsOffWithoutBlocking;

        FirstBatchLater(String slot, boolean handsOffWithoutBlocking) {
            this.slot = slot;
            this.handsOffWithoutBlocking = handsOffWithoutBlocking;
        }

        @Override
        public void handle(String slotId, List<SlotCommand> batch) {
            throw new AssertionError("the queue hands batches over to handleAsync");
        }

        @Override
        public boolean handsOffWithoutBlocking() {
            return handsOffWithoutBlocking;
        }

        @Override
        public CompletableFuture<Void> handleAsync(String slotId, List<SlotCommand> batch, boolean firstDelivery) {
            for (SlotCommand c : batch) {
                handled.add(c.requestId() + (firstDelivery ? "" : " again"));
                threads.add(c.requestId() + "@" + Thread.currentThread().getName());
            }
            if ((slot == null || slot.equals(slotId)) && first.get() == null) {
                // Finished later, as a commit completes on the store's thread.
                CompletableFuture<Void> later = new CompletableFuture<>();
                first.set(later);
                return later;
            }
            return CompletableFuture.completedFuture(null);
        }
    }
}
