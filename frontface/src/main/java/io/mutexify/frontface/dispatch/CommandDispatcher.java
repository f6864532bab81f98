package io.mutexify.frontface.dispatch;

import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.CommandQueue;
import io.mutexify.model.port.QueueFullException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a command on its slot's session and turns the Lockkeeper's reply into a response. If the
 * reply does not come in time the caller gets 202 and a {@code Location} to ask again later.
 */
public final class CommandDispatcher {
    private final CommandQueue queue;
    private final ReplyWaiter replies;
    private final Duration replyTimeout;

    public CommandDispatcher(CommandQueue queue, ReplyWaiter replies, Duration replyTimeout) {
        this.queue = queue;
        this.replies = replies;
        this.replyTimeout = replyTimeout;
    }

    /** Sends {@code command}; {@code extraWait} is added to the reply timeout (an acquire's {@code wait}). */
    public CompletableFuture<ApiResponse> dispatch(SlotCommand command, Duration extraWait) {
        CompletableFuture<Reply> reply = replies.expect(command.requestId());
        try {
            queue.send(command);
        } catch (QueueFullException e) {
            replies.abandon(command.requestId());
            return CompletableFuture.completedFuture(
                    ApiResponse.error(503, "busy", "the request queue is full; retry shortly")
                            .withHeader("Retry-After", Integer.toString(e.retryAfterSeconds())));
        }
        long timeoutMs = replyTimeout.plus(extraWait).toMillis();
        // A copy, so this caller's deadline does not cut short another caller waiting on the same request.
        return reply.copy()
                .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .handle((r, error) -> {
                    if (error == null) {
                        return ReplyResponses.toResponse(r);
                    }
                    if (unwrap(error) instanceof TimeoutException) {
                        return pending(command.requestId());
                    }
                    throw new IllegalStateException("reply failed for " + command.requestId(), error);
                });
    }

    /** The 202 for a request whose reply has not come yet. */
    public static ApiResponse pending(String requestId) {
        String location = "/api/v1/requests/" + requestId;
        return ApiResponse.json(202, Map.of("requestId", requestId, "status", "pending", "location", location))
                .withHeader("Location", location);
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
