package io.mutexify.lockkeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.command.Actor;
import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.command.SlotSpec;
import io.mutexify.model.machine.Policy;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.machine.SlotMachine;
import io.mutexify.model.port.InMemorySlotStore;
import io.mutexify.model.slot.SlotState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The Lockkeeper with pools: a fresh token per grant, even several in one command; lock-delay timers kept and re-armed. */
class LockkeeperPoolTest {
    private static final Actor ANN = new Actor("ann", true);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final InMemorySlotStore store = new InMemorySlotStore();
    private final List<Reply> sent = new ArrayList<>();
    private final List<ScheduledCommand> scheduled = new ArrayList<>();
    private final AtomicInteger tokenSeq = new AtomicInteger();
    private final Lockkeeper keeper = Lockkeeper.builder()
            .store(store)
            .machine(new SlotMachine(Policy.defaults()))
            .replies(sent::add)
            .timers(new RecordingTimers(scheduled))
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .tokens(() -> "tok" + tokenSeq.incrementAndGet())
            .build();

    private static SlotSpec pool(Integer capacity, Integer lockDelay) {
        return new SlotSpec(null, null, null, null, null, null, capacity, null, lockDelay);
    }

    @Test
    void raisingCapacityGrantsSeveralWaitersEachWithItsOwnToken() {
        keeper.handle("p", List.of(new SlotCommand.CreateSlot("c", "p", ANN, pool(1, null))));
        keeper.handle("p", List.of(new Acquire("a", "p", ANN, null, 30, List.of(), 0)));
        keeper.handle("p", List.of(new Acquire("w1", "p", ANN, null, 30, List.of(), 10),
                new Acquire("w2", "p", ANN, null, 30, List.of(), 10)));
        keeper.handle("p", List.of(new SlotCommand.UpdateSlot("u", "p", ANN, pool(3, null))));

        SlotState s = store.load("p");
        assertThat(s.holds()).extracting(h -> h.id()).containsExactly("a", "w1", "w2");
        assertThat(s.holds()).extracting(h -> h.token()).doesNotHaveDuplicates();
        assertThat(sent).filteredOn(r -> r.requestId().startsWith("w")).extracting(r -> r.lock().token())
                .containsExactlyElementsOf(s.holds().subList(1, 3).stream().map(h -> h.token()).toList());
    }

    @Test
    void aLockDelayTimerIsScheduledObsoleteOnceOverAndRearmedFromTheStore() {
        keeper.handle("p", List.of(new SlotCommand.CreateSlot("c", "p", ANN, pool(2, 30))));
        keeper.handle("p", List.of(new Acquire("a", "p", ANN, null, 30, List.of(), 0)));
        keeper.handle("p", List.of(new SlotCommand.Break("b", "p", ANN, "stuck")));

        SlotState s = store.load("p");
        assertThat(s.delays()).singleElement().satisfies(d -> assertThat(d.until()).isEqualTo(NOW.plusSeconds(30)));
        var endDelay = SlotCommand.EndDelay.of("p", 1, NOW.plusSeconds(30));
        assertThat(scheduled).extracting(ScheduledCommand::command).contains(endDelay);
        assertThat(keeper.isObsolete(endDelay)).isFalse();
        assertThat(keeper.isObsolete(SlotCommand.EndDelay.of("p", 9, NOW.plusSeconds(30)))).isTrue();

        scheduled.clear();
        assertThat(keeper.rearmTimers()).isEqualTo(1);
        assertThat(scheduled).extracting(ScheduledCommand::command).containsExactly(endDelay);
    }
}
