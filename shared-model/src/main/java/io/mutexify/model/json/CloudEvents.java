package io.mutexify.model.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mutexify.model.event.LockEvent;

/** Renders a {@link LockEvent} as a CloudEvents 1.0 structured-mode JSON object. */
public final class CloudEvents {
    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=utf-8";
    public static final String BATCH_CONTENT_TYPE = "application/cloudevents-batch+json; charset=utf-8";

    private CloudEvents() {
    }

    public static ObjectNode toJson(LockEvent event) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("specversion", "1.0");
        node.put("id", event.id());
        node.put("source", event.source());
        node.put("type", event.type().wireName());
        node.put("subject", event.slotId());
        node.put("time", event.time().toString());
        node.put("datacontenttype", "application/json");
        node.set("data", Json.mapper().valueToTree(event.data()));
        return node;
    }
}
