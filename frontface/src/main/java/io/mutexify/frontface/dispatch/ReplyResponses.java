package io.mutexify.frontface.dispatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.model.json.Json;
import io.mutexify.model.machine.Reply;

/** Renders a Lockkeeper {@link Reply} as the HTTP response the API documents. */
public final class ReplyResponses {
    /** Seconds a client waits before retrying a change that was not acknowledged (503). */
    public static final String RETRY_AFTER_SECONDS = "1";

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
            ApiResponse response = ApiResponse.json(reply.status(), body);
            // 503: nothing was acknowledged (the store failed); the same Idempotency-Key is safe to retry.
            return reply.status() == 503 ? response.withHeader("Retry-After", RETRY_AFTER_SECONDS) : response;
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
