package io.mutexify.frontface.requests;

import io.mutexify.frontface.dispatch.CommandDispatcher;
import io.mutexify.frontface.dispatch.ReplyResponses;
import io.mutexify.frontface.dispatch.ReplyWaiter;
import io.mutexify.frontface.dispatch.RequestIds;
import io.mutexify.frontface.http.ApiException;
import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.model.port.SlotReader;

/** {@code /api/v1/requests/{id}}: the reply of a request that answered 202, once it exists. */
public final class RequestRoutes {
    private final SlotReader reader;
    private final ReplyWaiter replies;

    public RequestRoutes(SlotReader reader, ReplyWaiter replies) {
        this.reader = reader;
        this.replies = replies;
    }

    public ApiResponse get(String requestId) {
        if (!RequestIds.isWellFormed(requestId)) {
            throw unknown();
        }
        // Read "in flight" before the store: a reply is committed before it is sent, so a request
        // that stopped being in flight meanwhile is already in the store.
        boolean inFlight = replies.isInFlight(requestId);
        return reader.findReply(requestId)
                .map(ReplyResponses::toResponse)
                .orElseGet(() -> {
                    if (inFlight) {
                        return CommandDispatcher.pending(requestId);
                    }
                    throw unknown();
                });
    }

    private static ApiException unknown() {
        return ApiException.notFound("request_not_found", "no such request, or it is not known to this instance");
    }
}
