package io.mutexify.embedded.events;

import io.mutexify.model.port.InMemorySlotStore;
import static io.mutexify.embedded.events.WebhookPublisherTest.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mutexify.lockkeeper.outbox.RelaySettings;
import io.mutexify.model.event.EventType;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The outbox, relays and webhook publishers together, against real local HTTP receivers. */
class WebhookDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Rare polls, fast retries: tests are driven by wake() and by the retry backoff. */
    private static final RelaySettings FAST = new RelaySettings(50, Duration.ofMinutes(1), Duration.ofMillis(10),
            Duration.ofMillis(50), Duration.ofSeconds(2));

    private final InMemorySlotStore store = new InMemorySlotStore();
    private final WebhookReceiver receiver = new WebhookReceiver();
    private final WebhookReceiver other = new WebhookReceiver();
    private WebhookDelivery delivery;

    WebhookDeliveryTest() throws Exception {
    }

    @AfterEach
    void stop() {
        if (delivery != null) {
            delivery.close();
        }
        receiver.close();
        other.close();
    }

    private void deliverTo(URI... urls) {
        delivery = new WebhookDelivery(store, List.of(urls), "mutexify.test", FAST, Duration.ofSeconds(5));
        delivery.start();
    }

    @Test
    void deliversCommittedEventsInOrderAfterTheHandshake() {
        deliverTo(receiver.url("/hook"));
        IntStream.rangeClosed(1, 20).forEach(n -> store.appendEvent(event("e" + n, EventType.LOCK_ACQUIRED, "slot-" + n)));
        delivery.wake();

        List<String> expected = IntStream.rangeClosed(1, 20).mapToObj(n -> "e" + n).toList();
        await().atMost(WAIT).untilAsserted(() -> assertThat(receiver.accepted).containsExactlyElementsOf(expected));
        assertThat(receiver.requests.get(0).method()).isEqualTo("OPTIONS");
        assertThat(receiver.requests).filteredOn(r -> r.method().equals("OPTIONS")).hasSize(1);
        assertThat(receiver.posts().get(4).json().get("source").asText()).isEqualTo("/slots/slot-5");
        assertThat(store.cursor(delivery.subscribers().get(0))).isEqualTo(20);
    }

    @Test
    void retriesAFailingReceiverWithTheSameIdAndNoDuplicateAfterSuccess() throws Exception {
        receiver.postFailures.set(2);
        deliverTo(receiver.url("/hook"));
        store.appendEvent(event("only", EventType.LOCK_EXPIRED, "s"));
        delivery.wake();

        await().atMost(WAIT).untilAsserted(() -> assertThat(receiver.accepted).containsExactly("only"));
        assertThat(receiver.posts()).hasSize(3).allSatisfy(p -> assertThat(p.json().get("id").asText()).isEqualTo("only"));

        // Later events arrive once each; the accepted one is not sent again.
        store.appendEvent(event("next", EventType.LOCK_ACQUIRED, "s"));
        delivery.wake();
        await().atMost(WAIT).untilAsserted(() -> assertThat(receiver.accepted).containsExactly("only", "next"));
        Thread.sleep(100);
        assertThat(receiver.posts()).hasSize(4);
    }

    @Test
    void receiverRefusingTheHandshakeGetsNoPostAndDoesNotHoldUpOthers() {
        receiver.handshakeStatus = 403;
        deliverTo(receiver.url("/refuses"), other.url("/accepts"));
        store.appendEvent(event("e1", EventType.SLOT_CREATED, "s"));
        store.appendEvent(event("e2", EventType.SLOT_UPDATED, "s"));
        delivery.wake();

        await().atMost(WAIT).untilAsserted(() -> assertThat(other.accepted).containsExactly("e1", "e2"));
        // It is asked again with backoff, and never sent an event.
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(receiver.requests).filteredOn(r -> r.method().equals("OPTIONS")).hasSizeGreaterThan(1));
        assertThat(receiver.posts()).isEmpty();
        assertThat(store.cursor(WebhookDelivery.subscriberName(receiver.url("/refuses")))).isZero();
    }

    @Test
    void subscriberNamesAreStablePerUrlAndHideSecrets() {
        URI secret = URI.create("https://hooks.example.com/services/T000/B000/XXXXSECRET?code=hunter2");
        String name = WebhookDelivery.subscriberName(secret);

        assertThat(name).startsWith("webhook:https://hooks.example.com#").doesNotContain("SECRET").doesNotContain("hunter2");
        assertThat(WebhookDelivery.subscriberName(URI.create(secret.toString()))).isEqualTo(name);
        assertThat(WebhookDelivery.subscriberName(URI.create("https://hooks.example.com/other"))).isNotEqualTo(name);
    }

    @Test
    void oneRelayPerDistinctUrl() {
        deliverTo(receiver.url("/a"), receiver.url("/a"), receiver.url("/b"));
        assertThat(delivery.subscribers()).hasSize(2).doesNotHaveDuplicates();
    }
}
