package io.mutexify.embedded.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.lockkeeper.outbox.PartialDeliveryException;
import io.mutexify.model.event.EventType;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.json.CloudEvents;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookPublisherTest {
    private static final String ORIGIN = "mutexify.test";
    private final WebhookReceiver receiver = new WebhookReceiver();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    WebhookPublisherTest() throws Exception {
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private WebhookPublisher publisher(String path) {
        return new WebhookPublisher(receiver.url(path), ORIGIN, client, Duration.ofSeconds(5));
    }

    static LockEvent event(String id, EventType type, String slot) {
        return new LockEvent(id, type, slot, Instant.parse("2025-03-01T12:00:00Z"),
                new LockEvent.EventData(slot, "ci-runner-7", "alice@example.com", 42L,
                        Instant.parse("2025-03-01T12:05:00Z"), "alice@example.com", null));
    }

    @Test
    void handshakesOnceThenPostsStructuredCloudEventsInOrder() throws Exception {
        WebhookPublisher publisher = publisher("/hook");

        publisher.publish(List.of(event("e1", EventType.LOCK_ACQUIRED, "env-a"),
                event("e2", EventType.LOCK_RELEASED, "env-a")));
        publisher.publish(List.of(event("e3", EventType.SLOT_DELETED, "env-b")));

        assertThat(receiver.requests).extracting(WebhookReceiver.Received::method)
                .containsExactly("OPTIONS", "POST", "POST", "POST");
        assertThat(receiver.requests.get(0).requestOrigin()).isEqualTo(ORIGIN);
        assertThat(receiver.accepted).containsExactly("e1", "e2", "e3");

        WebhookReceiver.Received first = receiver.posts().get(0);
        assertThat(first.contentType()).isEqualTo(CloudEvents.CONTENT_TYPE);
        JsonNode ce = first.json();
        assertThat(ce.get("specversion").asText()).isEqualTo("1.0");
        assertThat(ce.get("id").asText()).isEqualTo("e1");
        assertThat(ce.get("type").asText()).isEqualTo("io.mutexify.lock.acquired");
        assertThat(ce.get("source").asText()).isEqualTo("/slots/env-a");
        assertThat(ce.get("subject").asText()).isEqualTo("env-a");
        assertThat(ce.get("data").get("fence").asLong()).isEqualTo(42);
        assertThat(receiver.posts().get(2).json().get("type").asText()).isEqualTo("io.mutexify.slot.deleted");
        assertThat(publisher.validated()).isTrue();
    }

    @Test
    void refusedHandshakeMeansNoPost() {
        receiver.handshakeStatus = 403;
        WebhookPublisher publisher = publisher("/hook");

        assertThatThrownBy(() -> publisher.publish(List.of(event("e1", EventType.LOCK_ACQUIRED, "s"))))
                .hasMessageContaining("handshake refused with HTTP 403");

        assertThat(receiver.posts()).isEmpty();
        assertThat(publisher.validated()).isFalse();
    }

    @Test
    void handshakeAllowingAnotherOriginMeansNoPost() {
        receiver.allowedOrigin = "someone-else.example";
        WebhookPublisher publisher = publisher("/hook");

        assertThatThrownBy(() -> publisher.publish(List.of(event("e1", EventType.LOCK_ACQUIRED, "s"))))
                .hasMessageContaining("allows origin");

        assertThat(receiver.posts()).isEmpty();
    }

    @Test
    void handshakeNamingOurOriginOrNoneIsAccepted() throws Exception {
        receiver.allowedOrigin = ORIGIN;
        publisher("/a").publish(List.of(event("e1", EventType.LOCK_ACQUIRED, "s")));
        receiver.allowedOrigin = null;
        publisher("/b").publish(List.of(event("e2", EventType.LOCK_ACQUIRED, "s")));

        assertThat(receiver.accepted).containsExactly("e1", "e2");
    }

    @Test
    void refusedPostTellsHowManyWereDeliveredWithoutLeakingTheUrl() {
        receiver.refuseId = "e2";
        WebhookPublisher publisher = publisher("/hook/secret-token?code=hunter2");

        assertThatThrownBy(() -> publisher.publish(List.of(event("e1", EventType.LOCK_ACQUIRED, "s"),
                event("e2", EventType.LOCK_EXTENDED, "s"), event("e3", EventType.LOCK_RELEASED, "s"))))
                .isInstanceOfSatisfying(PartialDeliveryException.class, e -> {
                    assertThat(e.delivered()).isEqualTo(1);
                    assertThat(e.getMessage()).contains("HTTP 503").doesNotContain("secret-token").doesNotContain("hunter2");
                });
        // Stops at the first refusal: a later event must not overtake it.
        assertThat(receiver.posts()).hasSize(2);
        assertThat(receiver.accepted).containsExactly("e1");
    }

    @Test
    void unreachableReceiverFailsWithoutLeakingTheUrl() {
        receiver.close();
        WebhookPublisher publisher = new WebhookPublisher(receiver.url("/hook/secret-token"), ORIGIN, client,
                Duration.ofSeconds(2));

        assertThatThrownBy(() -> publisher.publish(List.of(event("e1", EventType.LOCK_ACQUIRED, "s"))))
                .isInstanceOf(java.io.IOException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-token"));
    }

    @Test
    void rejectsNonHttpUrls() {
        assertThatThrownBy(() -> new WebhookPublisher(URI.create("file:///etc/passwd"), ORIGIN, client, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
