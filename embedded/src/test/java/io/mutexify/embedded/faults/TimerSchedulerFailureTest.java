package io.mutexify.embedded.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mutexify.embedded.queue.InProcessSessionQueue;
import io.mutexify.embedded.queue.QueueSettings;
import io.mutexify.embedded.store.SqliteSlotStore;
import io.mutexify.lockkeeper.Lockkeeper;
import io.mutexify.model.command.Actor;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.machine.Policy;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.machine.SlotMachine;
import io.mutexify.model.port.FlakyScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default runs the same Lockkeeper core as Azure: a timer queue that throws once
 * right after a commit must not leave the hold without its expiry. The in-process queue
 * redelivers the batch, the replay re-arms the slot's timers, the hold expires on time and the
 * next waiter is granted.
 */
class TimerSchedulerFailureTest {
    private static final Actor ANN = new Actor("ann", false);
    private static final Actor BOB = new Actor("bob", true);

    @TempDir
    Path dir;

    @Test
    void aSchedulerThatThrowsOnceAfterCommitStillExpiresTheHoldAndGrantsTheWaiter() {
        Map<String, Reply> replies = new ConcurrentHashMap<>();
        try (SqliteSlotStore store = SqliteSlotStore.open(dir);
             InProcessSessionQueue queue = new InProcessSessionQueue(QueueSettings.defaults()
                     .withBackoff(Duration.ofMillis(5), Duration.ofMillis(50)))) {
            FlakyScheduler flakyTimers = new FlakyScheduler(queue);
            flakyTimers.failSchedules.set(1);
            Lockkeeper keeper = Lockkeeper.builder().store(store).machine(new SlotMachine(Policy.defaults()))
                    .replies(r -> replies.put(r.requestId(), r)).timers(flakyTimers).build();
            queue.start(keeper, keeper::isObsolete);

            queue.send(new Acquire("hold", "s", ANN, null, 1, List.of(), 0));
            await().atMost(Duration.ofSeconds(5)).until(() -> replies.containsKey("hold"));
            assertThat(flakyTimers.failSchedules.get()).as("the scheduler did throw").isZero();
            long started = System.nanoTime();
            queue.send(new Acquire("next", "s", BOB, null, 30, List.of(), 20));

            await().atMost(Duration.ofSeconds(8)).until(() -> replies.containsKey("next"));
            assertThat(replies.get("next").status()).isEqualTo(200);
            assertThat(replies.get("next").lock().principal()).isEqualTo("bob");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("granted at the 1 s expiry, not at the wait's end")
                    .isLessThan(Duration.ofSeconds(6));
        }
    }
}
