package io.mutexify.azure.eventgrid;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Event Grid custom topic that receives every event as a CloudEvent 1.0. Without
 * {@code EVENTGRID_KEY} the publisher signs in with {@code DefaultAzureCredential} (the Function's
 * managed identity, which needs the role <em>EventGrid Data Sender</em> on the topic).
 *
 * @param endpoint the topic endpoint, {@code https://<topic>.<region>-1.eventgrid.azure.net/api/events}
 * @param key      a topic access key, or null for {@code DefaultAzureCredential}
 */
public record EventGridSettings(String endpoint, String key) {
    public static final String ENDPOINT = "EVENTGRID_ENDPOINT";
    public static final String KEY = "EVENTGRID_KEY";
    /** Every setting this adapter reads, for checks that the deployment files list them all. */
    public static final List<String> SETTING_NAMES = List.of(ENDPOINT, KEY);
    /** The outbox cursor name of the Event Grid relay. */
    public static final String SUBSCRIBER = "eventgrid";

    public EventGridSettings {
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException(ENDPOINT + " is not a URL: " + endpoint, e);
        }
        // Event Grid refuses credentials over plain HTTP, and so does its SDK.
        if (!"https".equals(String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT)) || uri.getHost() == null) {
            throw new IllegalArgumentException(ENDPOINT + " must be an https:// URL, got: " + endpoint);
        }
        if (key != null && key.isBlank()) {
            key = null;
        }
    }

    /** The settings, or null when {@code EVENTGRID_ENDPOINT} is not set (events then stay in the outbox). */
    public static EventGridSettings fromEnvironment(Map<String, String> env) {
        String endpoint = env.get(ENDPOINT);
        if (endpoint == null || endpoint.isBlank()) {
            return null;
        }
        return new EventGridSettings(endpoint.trim(), env.get(KEY));
    }

    public boolean usesKey() {
        return key != null;
    }

    @Override
    public String toString() {
        return "EventGridSettings[endpoint=" + endpoint + ", auth=" + (usesKey() ? "key" : "DefaultAzureCredential") + "]";
    }
}
