package io.mutexify.embedded.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mutexify.model.command.Actor;
import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.port.CommandQueue;
import io.mutexify.model.port.QueueFullException;
import io.mutexify.model.port.SessionHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every request-queue adapter must guarantee the Lockkeeper: per-session FIFO, one consumer
 * per session, sessions in parallel, scheduled delivery, bounded intake, ordered redelivery and
 * dead-lettering. A Service Bus double runs the same tests by extending this class.
 */
public abstract class SessionQueueContract {
    /** What a test needs to set on the queue under test; adapters map it to their own settings. */
    protected record Limits(int capacity, int maxDeliveries, Consumer<List<SlotCommand>> deadLetter) {
        static Limits generous() {
            return new Limits(100_000, 10, batch -> { });
        }
    }

    /** Creates and starts a queue feeding {@code handler}; it needs at least 4 parallel consumers. */
    protected abstract CommandQueue startQueue(SessionHandler handler, Limits limits) throws Exception;

    /** Stops a queue made by {@link #startQueue}. */
    protected abstract void stopQueue(CommandQueue queue) throws Exception;

    private static final Duration WAIT = Duration.ofSeconds(10);
    private final List<CommandQueue> started = new ArrayList<>();
    private final List<CountDownLatch> gates = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        // Open every gate first, so no handler blocks the queue's close.
        gates.forEach(g -> {
            while (g.getCount() > 0) {
                g.countDown();
            }
        });
        for (CommandQueue q : started) {
            stopQueue(q);
        }
    }

    private CommandQueue start(SessionHandler handler, Limits limits) throws Exception {
        CommandQueue q = startQueue(handler, limits);
        started.add(q);
        return q;
    }

    private CountDownLatch gate() {
        CountDownLatch g = new CountDownLatch(1);
        gates.add(g);
        return g;
    }

    protected static SlotCommand cmd(String slot, String requestId) {
        return new SlotCommand.Release(requestId, slot, new Actor("tester", false), "token-" + requestId);
    }

    private static List<String> ids(List<SlotCommand> batch) {
        return batch.stream().map(SlotCommand::requestId).toList();
    }

    @Test
    void keepsPerSessionOrderWithManyConcurrentProducers() throws Exception {
        int producers = 8;
        int sessions = 6;
        int perProducerAndSession = 150;
        Map<String, List<String>> received = new ConcurrentHashMap<>();
        AtomicInteger total = new AtomicInteger();
        CommandQueue queue = start((slot, batch) -> {
            received.computeIfAbsent(slot, k -> Collections.synchronizedList(new ArrayList<>())).addAll(ids(batch));
            total.addAndGet(batch.size());
        }, Limits.generous());

        ExecutorService pool = Executors.newFixedThreadPool(producers);
        List<Future<?>> sent = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            sent.add(pool.submit(() -> {
                for (int i = 0; i < perProducerAndSession; i++) {
                    for (int s = 0; s < sessions; s++) {
                        queue.send(cmd("slot-" + s, "p" + producer + "-" + i));
                    }
                }
            }));
        }
        for (Future<?> f : sent) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        int expected = producers * sessions * perProducerAndSession;
        await().atMost(WAIT).untilAsserted(() -> assertThat(total.get()).isEqualTo(expected));
        for (int s = 0; s < sessions; s++) {
            List<String> got = received.get("slot-" + s);
            assertThat(got).hasSize(producers * perProducerAndSession).doesNotHaveDuplicates();
            // Across producers the interleaving is free; each producer's own commands must stay in order.
            for (int p = 0; p < producers; p++) {
                String prefix = "p" + p + "-";
                List<Integer> seq = got.stream().filter(id -> id.startsWith(prefix))
                        .map(id -> Integer.parseInt(id.substring(prefix.length()))).toList();
                assertThat(seq).as("slot-%d, producer %d", s, p).isSorted().hasSize(perProducerAndSession);
            }
        }
    }

    @Test
    void neverRunsTwoHandlersForOneSessionAtOnce() throws Exception {
        Map<String, AtomicInteger> inside = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger handled = new AtomicInteger();
        CommandQueue queue = start((slot, batch) -> {
            AtomicInteger counter = inside.computeIfAbsent(slot, k -> new AtomicInteger());
            if (counter.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            try {
                Thread.sleep(1); // widen the window an overlap would need
            } finally {
                counter.decrementAndGet();
                handled.addAndGet(batch.size());
            }
        }, Limits.generous());

        ExecutorService pool = Executors.newFixedThreadPool(6);
        for (int p = 0; p < 6; p++) {
            int producer = p;
            pool.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    queue.send(cmd("hot-" + (i % 3), "p" + producer + "-" + i));
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        await().atMost(WAIT).untilAsserted(() -> assertThat(handled.get()).isEqualTo(1200));
        assertThat(overlaps.get()).isZero();
    }

    @Test
    void runsDifferentSessionsInParallel() throws Exception {
        int sessions = 4;
        CountDownLatch allInside = new CountDownLatch(sessions);
        AtomicInteger metInside = new AtomicInteger();
        CommandQueue queue = start((slot, batch) -> {
            allInside.countDown();
            // Only returns true if every session is inside a handler at the same time.
            if (allInside.await(5, TimeUnit.SECONDS)) {
                metInside.incrementAndGet();
            }
        }, Limits.generous());

        for (int s = 0; s < sessions; s++) {
            queue.send(cmd("par-" + s, "r" + s));
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(metInside.get()).isEqualTo(sessions));
    }

    @Test
    void deliversCommandsQueuedMeanwhileTogetherAndInOrder() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch release = gate();
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        CommandQueue queue = start((slot, batch) -> {
            batches.add(ids(batch));
            first.countDown();
            release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        }, Limits.generous());

        queue.send(cmd("batchy", "c0"));
        assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 20; i++) {
            queue.send(cmd("batchy", "c" + i));
        }
        release.countDown();

        await().atMost(WAIT).untilAsserted(() ->
                assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(21));
        assertThat(batches.stream().flatMap(List::stream).toList())
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(0, 20).mapToObj(i -> "c" + i).toList());
        // The 20 that queued while the session was busy must not come one handler call each.
        assertThat(batches.size()).isLessThan(21);
    }

    @Test
    void deliversScheduledCommandNotBeforeItsTime() throws Exception {
        Map<String, Instant> deliveredAt = new ConcurrentHashMap<>();
        CommandQueue queue = start((slot, batch) -> {
            Instant now = Instant.now();
            batch.forEach(c -> deliveredAt.put(c.requestId(), now));
        }, Limits.generous());

        Instant at = Instant.now().plusMillis(400);
        queue.schedule(new ScheduledCommand(at, cmd("timed", "later")));
        queue.schedule(new ScheduledCommand(Instant.now().minusSeconds(5), cmd("timed", "overdue")));

        await().atMost(WAIT).until(() -> deliveredAt.containsKey("later") && deliveredAt.containsKey("overdue"));
        assertThat(deliveredAt.get("later")).isAfterOrEqualTo(at);
        assertThat(deliveredAt.get("overdue")).isBefore(at);
    }

    @Test
    void refusesClientCommandsAtCapacityButNeverTimers() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = gate();
        List<String> handled = new CopyOnWriteArrayList<>();
        CommandQueue queue = start((slot, batch) -> {
            inside.countDown();
            release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            handled.addAll(ids(batch));
        }, new Limits(3, 10, b -> { }));

        queue.send(cmd("full", "a"));
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        queue.send(cmd("full", "b"));
        queue.send(cmd("other", "c"));
        // "a" is being handled, not handled yet: it still takes its place.
        assertThatThrownBy(() -> queue.send(cmd("full", "d")))
                .isInstanceOfSatisfying(QueueFullException.class, e -> assertThat(e.retryAfterSeconds()).isPositive());
        // Timers are accepted whatever the load, or a lock would never expire.
        for (int i = 0; i < 10; i++) {
            queue.schedule(new ScheduledCommand(Instant.now(), cmd("full", "timer-" + i)));
        }

        release.countDown();
        await().atMost(WAIT).untilAsserted(() -> assertThat(handled).hasSize(13));
        queue.send(cmd("full", "e"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(handled).contains("e"));
    }

    @Test
    void redeliversFailedBatchBeforeAnyLaterCommand() throws Exception {
        AtomicInteger failuresLeft = new AtomicInteger(2);
        List<List<String>> attempts = new CopyOnWriteArrayList<>();
        List<String> handled = new CopyOnWriteArrayList<>();
        CommandQueue queue = start((slot, batch) -> {
            attempts.add(ids(batch));
            if (ids(batch).contains("c3") && failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("store conflict, try again");
            }
            handled.addAll(ids(batch));
        }, Limits.generous());

        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            sent.add("c" + i);
            queue.send(cmd("retry", "c" + i));
        }

        await().atMost(WAIT).untilAsserted(() -> assertThat(handled).hasSize(30));
        assertThat(handled).containsExactlyElementsOf(sent);
        List<String> firstFailed = attempts.stream().filter(a -> a.contains("c3")).findFirst().orElseThrow();
        assertThat(attempts.stream().filter(a -> a.contains("c3")).toList())
                .as("the failed batch comes again, as it was").hasSize(3).allSatisfy(a -> assertThat(a).isEqualTo(firstFailed));
    }

    @Test
    void deadLettersAfterMaxDeliveriesAndCarriesOn() throws Exception {
        List<List<String>> deadLetters = new CopyOnWriteArrayList<>();
        AtomicInteger poisonAttempts = new AtomicInteger();
        List<String> handled = new CopyOnWriteArrayList<>();
        CommandQueue queue = start((slot, batch) -> {
            if (ids(batch).contains("poison")) {
                poisonAttempts.incrementAndGet();
                throw new IllegalArgumentException("cannot handle this");
            }
            handled.addAll(ids(batch));
        }, new Limits(100, 3, batch -> deadLetters.add(ids(batch))));

        queue.send(cmd("sick", "poison"));
        // Another session is not held up while this one retries.
        queue.send(cmd("healthy", "fine"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(deadLetters).containsExactly(List.of("poison")));
        assertThat(poisonAttempts.get()).isEqualTo(3);
        assertThat(handled).contains("fine");

        queue.send(cmd("sick", "next"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(handled).contains("next"));
        assertThat(poisonAttempts.get()).isEqualTo(3);
    }

    @Test
    void isReachableWhileRunning() throws Exception {
        CommandQueue queue = start((slot, batch) -> { }, Limits.generous());
        assertThat(queue.isReachable()).isTrue();
    }
}
