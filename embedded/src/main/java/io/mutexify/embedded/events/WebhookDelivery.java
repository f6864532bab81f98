package io.mutexify.embedded.events;

import io.mutexify.lockkeeper.outbox.OutboxRelay;
import io.mutexify.lockkeeper.outbox.RelaySettings;
import io.mutexify.model.port.SlotStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Wires webhook delivery for the embedded server: one {@link OutboxRelay} with its own cursor and
 * thread per configured URL, so a receiver that is down holds up only itself.
 */
public final class WebhookDelivery implements AutoCloseable {
    private final List<OutboxRelay> relays = new ArrayList<>();

    /**
     * @param urls           the receivers; duplicates are delivered to once, as they would share a cursor
     * @param origin         our name in the validation handshake
     * @param settings       batch size, polling and retry backoff of every relay
     * @param requestTimeout the longest one HTTP request may take
     */
    public WebhookDelivery(SlotStore store, Collection<URI> urls, String origin, RelaySettings settings,
                           Duration requestTimeout) {
        Objects.requireNonNull(store, "store");
        HttpClient client = HttpClient.newBuilder()
                // HTTP/1.1: plain-http receivers need no h2c upgrade dance, and webhooks are one request at a time.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout)
                // Never follow redirects: events go only to the URL that passed the handshake.
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        for (URI url : new LinkedHashSet<>(urls)) {
            WebhookPublisher publisher = new WebhookPublisher(url, origin, client, requestTimeout);
            relays.add(new OutboxRelay(WebhookUrls.subscriberName(url), store, publisher, settings));
        }
    }

    public WebhookDelivery(SlotStore store, Collection<URI> urls, String origin) {
        this(store, urls, origin, RelaySettings.defaults(), Duration.ofSeconds(10));
    }

    /** The cursor name used for {@code url}; the store's {@code prune} must know every one in use. */
    public static String subscriberName(URI url) {
        return WebhookUrls.subscriberName(WebhookUrls.requireHttp(url));
    }

    /** The cursor names of all relays, for {@code SlotStore.prune}. */
    public List<String> subscribers() {
        return relays.stream().map(OutboxRelay::subscriber).toList();
    }

    public void start() {
        relays.forEach(OutboxRelay::start);
    }

    /** Nudges every relay, e.g. after a commit added events. */
    public void wake() {
        relays.forEach(OutboxRelay::wake);
    }

    @Override
    public void close() {
        relays.forEach(OutboxRelay::close);
    }
}
