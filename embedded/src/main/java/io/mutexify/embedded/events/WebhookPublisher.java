package io.mutexify.embedded.events;

import io.mutexify.lockkeeper.outbox.PartialDeliveryException;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.json.CloudEvents;
import io.mutexify.model.json.Json;
import io.mutexify.model.port.EventPublisher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * POSTs events to one webhook as structured-mode CloudEvents, one request per event, in order,
 * after the CloudEvents webhook validation handshake has succeeded once.
 *
 * <p>Messages never contain the full URL: webhook URLs often carry a secret in their path or query.
 */
public final class WebhookPublisher implements EventPublisher {
    static final String REQUEST_ORIGIN = "WebHook-Request-Origin";
    static final String ALLOWED_ORIGIN = "WebHook-Allowed-Origin";

    private final URI url;
    private final String origin;
    private final HttpClient client;
    private final Duration requestTimeout;
    private final String safeName;
    private volatile boolean validated;

    /**
     * @param url            the receiver, http or https
     * @param origin         our name in the handshake's {@code WebHook-Request-Origin}, e.g. the server's host name
     * @param client         shared by all webhooks; it should not follow redirects, so events go only where the handshake went
     * @param requestTimeout the longest one request may take
     */
    public WebhookPublisher(URI url, String origin, HttpClient client, Duration requestTimeout) {
        this.url = WebhookUrls.requireHttp(url);
        this.origin = Objects.requireNonNull(origin, "origin");
        this.client = Objects.requireNonNull(client, "client");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.safeName = WebhookUrls.redact(url);
    }

    /** Whether the receiver has accepted the validation handshake. */
    public boolean validated() {
        return validated;
    }

    @Override
    public void publish(List<LockEvent> events) throws Exception {
        if (events.isEmpty()) {
            return;
        }
        if (!validated) {
            handshake();
            validated = true;
        }
        for (int i = 0; i < events.size(); i++) {
            try {
                post(events.get(i));
            } catch (IOException e) {
                // Tell the relay how far we got, so the events before this one are not sent again.
                throw new PartialDeliveryException(i, e.getMessage(), e);
            }
        }
    }

    /** The CloudEvents abuse-protection handshake: the receiver must agree to take our events. */
    private void handshake() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header(REQUEST_ORIGIN, origin)
                .timeout(requestTimeout)
                .build();
        HttpResponse<Void> response = send(request, "handshake");
        if (!isSuccess(response.statusCode())) {
            throw new IOException("webhook " + safeName + ": handshake refused with HTTP " + response.statusCode());
        }
        Optional<String> allowed = response.headers().firstValue(ALLOWED_ORIGIN);
        if (allowed.isPresent() && !isAllowed(allowed.get().trim())) {
            throw new IOException("webhook " + safeName + ": handshake allows origin '" + allowed.get()
                    + "', not '" + origin + "'");
        }
    }

    private boolean isAllowed(String allowed) {
        return allowed.equals("*") || allowed.equalsIgnoreCase(origin);
    }

    private void post(LockEvent event) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(CloudEvents.toJson(event))))
                .header("Content-Type", CloudEvents.CONTENT_TYPE)
                .timeout(requestTimeout)
                .build();
        HttpResponse<Void> response = send(request, "event " + event.id());
        if (!isSuccess(response.statusCode())) {
            throw new IOException("webhook " + safeName + ": event " + event.id() + " refused with HTTP "
                    + response.statusCode());
        }
    }

    private HttpResponse<Void> send(HttpRequest request, String what) throws IOException, InterruptedException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // The JDK's messages may repeat the URL; ours must not, so wrap with a safe one.
            throw new IOException("webhook " + safeName + ": " + what + " failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }
}
