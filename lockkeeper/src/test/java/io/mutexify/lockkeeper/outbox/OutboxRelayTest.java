package io.mutexify.lockkeeper.outbox;

import io.mutexify.model.port.InMemorySlotStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mutexify.model.event.EventType;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.port.EventPublisher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutboxRelayTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Polls rarely, so a test only passes quickly if wake() or a full batch drives delivery. */
    private static final RelaySettings NO_POLL = new RelaySettings(3, Duration.ofMinutes(1), Duration.ofMillis(5),
            Duration.ofMillis(40), Duration.ofSeconds(2));

    private final InMemorySlotStore store = new InMemorySlotStore();
    private final List<OutboxRelay> relays = new ArrayList<>();

    @AfterEach
    void closeRelays() {
        relays.forEach(OutboxRelay::close);
    }

    private OutboxRelay relay(EventPublisher publisher, RelaySettings settings) {
        OutboxRelay relay = new OutboxRelay("test", store, publisher, settings);
        relays.add(relay);
        relay.start();
        return relay;
    }

    private static LockEvent event(int n) {
        return new LockEvent("ev-" + n, EventType.LOCK_ACQUIRED, "slot", Instant.parse("2025-01-01T00:00:00Z"),
                new LockEvent.EventData("slot", "owner", "alice", (long) n, null, "alice", null));
    }

    private static List<String> ids(List<LockEvent> events) {
        return events.stream().map(LockEvent::id).toList();
    }

    @Test
    void deliversEverythingInOrderAcrossBatchesAndSavesTheCursor() {
        List<String> published = new CopyOnWriteArrayList<>();
        IntStream.rangeClosed(1, 10).forEach(n -> store.appendEvent(event(n)));

        OutboxRelay relay = relay(events -> published.addAll(ids(events)), NO_POLL);

        // 10 entries in batches of 3: a full batch means "look again at once", no poll needed.
        await().atMost(WAIT).untilAsserted(() -> assertThat(relay.delivered()).isEqualTo(10));
        assertThat(published).containsExactlyElementsOf(IntStream.rangeClosed(1, 10).mapToObj(n -> "ev-" + n).toList());
        assertThat(store.cursor("test")).isEqualTo(10);
    }

    @Test
    void wakeDeliversWithoutWaitingForThePoll() {
        List<String> published = new CopyOnWriteArrayList<>();
        OutboxRelay relay = relay(events -> published.addAll(ids(events)), NO_POLL);

        store.appendEvent(event(1));
        relay.wake();

        await().atMost(WAIT).untilAsserted(() -> assertThat(published).containsExactly("ev-1"));
    }

    @Test
    void pollsWhenNobodyWakesIt() {
        List<String> published = new CopyOnWriteArrayList<>();
        relay(events -> published.addAll(ids(events)), new RelaySettings(10, Duration.ofMillis(50),
                Duration.ofMillis(5), Duration.ofMillis(40), Duration.ofSeconds(2)));

        store.appendEvent(event(1));

        await().atMost(WAIT).untilAsserted(() -> assertThat(published).containsExactly("ev-1"));
    }

    @Test
    void retriesTheSameEventsWithoutAdvancingTheCursor() {
        AtomicInteger failuresLeft = new AtomicInteger(3);
        List<List<String>> attempts = new CopyOnWriteArrayList<>();
        List<String> accepted = new CopyOnWriteArrayList<>();
        store.appendEvent(event(1));
        store.appendEvent(event(2));

        OutboxRelay relay = relay(events -> {
            attempts.add(ids(events));
            if (failuresLeft.getAndDecrement() > 0) {
                throw new java.io.IOException("subscriber down");
            }
            accepted.addAll(ids(events));
        }, NO_POLL);

        await().atMost(WAIT).untilAsserted(() -> assertThat(accepted).containsExactly("ev-1", "ev-2"));
        assertThat(attempts).hasSize(4).allSatisfy(a -> assertThat(a).containsExactly("ev-1", "ev-2"));
        // The cursor moved once, after the success.
        assertThat(store.savedCursors()).containsExactly(2L);
        assertThat(relay.failuresInARow()).isZero();
    }

    @Test
    void retriesWhenTheStoreFails() {
        store.failingOutboxReads.set(2);
        store.appendEvent(event(1));
        List<String> published = new CopyOnWriteArrayList<>();

        relay(events -> published.addAll(ids(events)), NO_POLL);

        await().atMost(WAIT).untilAsserted(() -> assertThat(published).containsExactly("ev-1"));
    }

    @Test
    void partialDeliveryMovesTheCursorPastWhatWasDelivered() {
        AtomicInteger calls = new AtomicInteger();
        List<String> accepted = new CopyOnWriteArrayList<>();
        store.appendEvent(event(1));
        store.appendEvent(event(2));
        store.appendEvent(event(3));

        relay(events -> {
            if (calls.incrementAndGet() == 1) {
                accepted.add(events.get(0).id());
                throw new PartialDeliveryException(1, "second event refused", null);
            }
            accepted.addAll(ids(events));
        }, NO_POLL);

        await().atMost(WAIT).untilAsserted(() -> assertThat(accepted).hasSize(3));
        assertThat(accepted).containsExactly("ev-1", "ev-2", "ev-3");
        assertThat(store.savedCursors()).containsExactly(1L, 3L);
    }

    @Test
    void closeStopsDelivery() throws Exception {
        List<String> published = new CopyOnWriteArrayList<>();
        OutboxRelay relay = relay(events -> published.addAll(ids(events)), NO_POLL);
        store.appendEvent(event(1));
        relay.wake();
        await().atMost(WAIT).untilAsserted(() -> assertThat(published).hasSize(1));

        relay.close();
        store.appendEvent(event(2));
        relay.wake();
        Thread.sleep(100);

        assertThat(published).containsExactly("ev-1");
    }
}
