package io.mutexify.frontface.dispatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.model.json.Json;
import io.mutexify.model.machine.Reply;

/** Renders a Lockkeeper {@link Reply} as the HTTP response the API documents. */
public final class ReplyResponses {
    private ReplyResponses() {
    }

    public static ApiResponse toResponse(Reply reply) {
        if (reply.isError()) {
            ObjectNode body = Json.mapper().createObjectNode();
            body.put("error", reply.error());
            body.put("message", reply.message());
            if (reply.lock() != null) {
                // A 409 names who holds the slot and until when, so the caller can decide to wait.
                body.put("holder", reply.lock().owner());
                body.put("principal", reply.lock().principal());
                body.put("fence", reply.lock().fence());
                body.put("expireAt", reply.lock().expireAt().toString());
                body.set("lock", Json.mapper().valueToTree(reply.lock()));
            }
            return ApiResponse.json(reply.status(), body);
        }
        if (reply.lock() != null) {
            return ApiResponse.json(reply.status(), reply.lock());
        }
        if (reply.slot() != null) {
            return ApiResponse.json(reply.status(), reply.slot())
                    .withHeader("X-Mutexify-Index", Long.toString(reply.slot().version()));
        }
        return ApiResponse.empty(reply.status());
    }
}
