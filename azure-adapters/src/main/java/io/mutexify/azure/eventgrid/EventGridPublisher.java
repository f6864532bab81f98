package io.mutexify.azure.eventgrid;

import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.models.CloudEvent;
import com.azure.core.models.CloudEventDataFormat;
import com.azure.core.util.BinaryData;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.messaging.eventgrid.EventGridPublisherClient;
import com.azure.messaging.eventgrid.EventGridPublisherClientBuilder;
import io.mutexify.lockkeeper.outbox.PartialDeliveryException;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.json.Json;
import io.mutexify.model.port.EventPublisher;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@link EventPublisher} port on an Event Grid custom topic with the CloudEvents 1.0 schema:
 * {@code type} {@code io.mutexify.lock.*|slot.*}, {@code source} {@code /slots/{id}}, {@code subject}
 * the slot id, {@code id} the event's stable id. Events go in batches of at most {@link #BATCH};
 * a failure is thrown so the outbox relay retries (with the same ids), and a failure after some
 * batches went through is a {@link PartialDeliveryException} so those are not sent again.
 *
 * <p>The SDK's own retries are off: the relay already retries with backoff, and two layers of
 * retries would only hold the relay's thread longer.
 */
public final class EventGridPublisher implements EventPublisher {
    /** Events per request: well below Event Grid's 1 MB request limit for Mutexify's small events. */
    static final int BATCH = 100;

    private final EventGridPublisherClient<CloudEvent> client;

    public EventGridPublisher(EventGridPublisherClient<CloudEvent> client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** A publisher for {@code settings}; {@code httpClient} null means the SDK's default (Netty). */
    public static EventGridPublisher create(EventGridSettings settings, HttpClient httpClient) {
        EventGridPublisherClientBuilder builder = new EventGridPublisherClientBuilder()
                .endpoint(settings.endpoint())
                .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))));
        if (settings.usesKey()) {
            builder.credential(new AzureKeyCredential(settings.key()));
        } else {
            builder.credential(new DefaultAzureCredentialBuilder().build());
        }
        if (httpClient != null) {
            builder.httpClient(httpClient);
        }
        return new EventGridPublisher(builder.buildCloudEventPublisherClient());
    }

    @Override
    public void publish(List<LockEvent> events) throws Exception {
        int sent = 0;
        while (sent < events.size()) {
            List<LockEvent> chunk = events.subList(sent, Math.min(events.size(), sent + BATCH));
            List<CloudEvent> cloudEvents = new ArrayList<>(chunk.size());
            for (LockEvent e : chunk) {
                cloudEvents.add(toCloudEvent(e));
            }
            try {
                client.sendEvents(cloudEvents);
            } catch (RuntimeException e) {
                if (sent > 0) {
                    throw new PartialDeliveryException(sent, "Event Grid refused a batch after " + sent + " events", e);
                }
                throw e;
            }
            sent += chunk.size();
        }
    }

    /** The CloudEvent 1.0 of {@code event}. */
    public static CloudEvent toCloudEvent(LockEvent event) {
        BinaryData data = BinaryData.fromBytes(Json.writeBytes(event.data()));
        return new CloudEvent(event.source(), event.type().wireName(), data, CloudEventDataFormat.JSON, "application/json")
                .setId(event.id())
                .setSubject(event.slotId())
                .setTime(event.time().atOffset(ZoneOffset.UTC));
    }
}
