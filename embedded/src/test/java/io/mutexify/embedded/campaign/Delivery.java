package io.mutexify.embedded.campaign;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One CloudEvent POST the webhook receiver got.
 *
 * @param accepted whether the receiver answered it 2xx (a failed or hung one is delivered again)
 */
public record Delivery(String id, JsonNode event, boolean accepted) {

    public String type() {
        return event.path("type").asText();
    }

    public String slot() {
        return event.path("subject").asText();
    }

    public long fence() {
        return event.path("data").path("fence").asLong(-1);
    }

    public String expireAt() {
        return event.path("data").path("expireAt").asText(null);
    }
}
