package io.mutexify.frontface.dispatch;

import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.frontface.http.CallWatch;
import io.mutexify.frontface.routes.ApiRoutes;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.command.SlotCommand.CancelWait;
import io.mutexify.model.concurrent.Completions;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.CommandQueue;
import io.mutexify.model.port.PendingRequests;
import io.mutexify.model.port.QueueFullException;
import io.mutexify.model.slot.Limits;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a command on its slot's session and turns the Lockkeeper's reply into a response. If the
 * reply does not come in time the caller gets 202 and a {@code Location} to ask again later.
 * A waiting acquire whose every call closed before its answer is taken out of the line.
 */
public final class CommandDispatcher {
    private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);
    /** What a call whose client has gone ends with; 499 as proxies log it, never read by anyone. */
    private static final ApiResponse CLIENT_CLOSED =
            ApiResponse.error(499, "client_closed", "the connection closed before the answer");

    private final CommandQueue queue;
    private final ReplyWaiter replies;
    private final Duration replyTimeout;
    /** Calls of this instance still waiting for the answer to a waiting acquire, per request id (retries share one). */
    private final Map<String, Integer> waitingCalls = new ConcurrentHashMap<>();
    private final LongWaits longWaits;

    public CommandDispatcher(CommandQueue queue, ReplyWaiter replies, Duration replyTimeout) {
        this(queue, replies, replyTimeout, PendingRequests.NONE);
    }

    /** {@code pending}: the durable records of sent requests, where a long wait's slot is found by other instances. */
    public CommandDispatcher(CommandQueue queue, ReplyWaiter replies, Duration replyTimeout, PendingRequests pending) {
        this.queue = queue;
        this.replies = replies;
        this.replyTimeout = replyTimeout;
        this.longWaits = new LongWaits(queue, pending);
    }

    /** The polls and cancels of long waits, for {@code /api/v1/requests/{id}}. */
    public LongWaits longWaits() {
        return longWaits;
    }

    /** Sends {@code command}; {@code extraWait} is added to the reply timeout (an acquire's {@code wait}). */
    public CompletableFuture<ApiResponse> dispatch(SlotCommand command, Duration extraWait) {
        // Read before expect(): a retry of a request an earlier call sent shares that call's reply. Only
        // this instance's calls can be forgotten by abandon(), so the durable record need not be read.
        boolean alreadyInFlight = replies.isInFlightHere(command.requestId());
        CompletableFuture<Reply> reply = replies.expect(command.requestId());
        long timeoutMs = replyTimeout.plus(extraWait).toMillis();
        // The deadline runs before the command is sent: a queue may handle it on this thread, and a
        // commit held up there must still answer 202 at the deadline. A copy, so this caller's
        // deadline does not cut short another caller waiting on the same request.
        CompletableFuture<ApiResponse> response = CoarseTimeouts.SHARED
                .orTimeout(reply.copy(), timeoutMs, TimeUnit.MILLISECONDS)
                .handle((r, error) -> {
                    if (error == null) {
                        return ReplyResponses.toResponse(r);
                    }
                    if (Completions.cause(error) instanceof TimeoutException) {
                        return pending(command.requestId());
                    }
                    if (Completions.cause(error) instanceof CancellationException) {
                        // A call sending the same request at the same moment found the queue full and
                        // forgot it; retrying under the same key is safe.
                        return busy(1);
                    }
                    throw new IllegalStateException("reply failed for " + command.requestId(), error);
                });
        try {
            queue.send(command);
        } catch (QueueFullException e) {
            if (!alreadyInFlight) {
                // Only a request nobody sent is forgotten: the earlier call still waits for its answer.
                replies.abandon(command.requestId());
            }
            return CompletableFuture.completedFuture(busy(e.retryAfterSeconds()));
        }
        return response;
    }

    /**
     * Sends a waiting acquire. If the call closes before its answer (the host's {@code watch}
     * says so) and no other call of this instance waits for the same request, the waiter is
     * taken out of the line: nobody would receive the grant. A grant that came first stands.
     */
    public CompletableFuture<ApiResponse> dispatchWaiting(Acquire asked, CallWatch watch) {
        String rid = asked.requestId();
        waitingCalls.merge(rid, 1, Integer::sum);
        AtomicBoolean waiting = new AtomicBoolean(true);
        CompletableFuture<ApiResponse> result = new CompletableFuture<>();
        // A wait longer than one call may be held answers 202 at the call's limit and stays in line
        // while its client polls the request (a long wait); the slot is told how long this call is
        // held, so it knows by when the first poll is due.
        boolean longWait = asked.waitSeconds() > Limits.MAX_CALL_WAIT_SECONDS;
        int holdSeconds = Math.min(asked.waitSeconds(), Limits.MAX_CALL_WAIT_SECONDS);
        Duration callHeld = replyTimeout.plusSeconds(holdSeconds);
        Acquire command = longWait ? asked.asLongWait((int) ((callHeld.toMillis() + 999) / 1000)) : asked;
        dispatch(command, Duration.ofSeconds(holdSeconds)).whenComplete((r, e) -> {
            boolean mine = waiting.compareAndSet(true, false);
            if (mine && leave(rid) && longWait && r != null && r.status() == 202) {
                longWaits.started(command);
            }
            if (e == null) {
                result.complete(r);
            } else {
                result.completeExceptionally(e);
            }
        });
        if (!result.isDone()) {
            watch.onClosed(() -> {
                if (waiting.compareAndSet(true, false)) {
                    if (leave(rid)) {
                        cancel(command);
                    }
                    // End the call now rather than at its deadline: nobody reads this answer, and a
                    // server stopping need not wait for it.
                    result.complete(CLIENT_CLOSED);
                }
            });
        }
        return result;
    }

    /** One call stops waiting for {@code rid}; true if it was the last one. */
    private boolean leave(String rid) {
        return waitingCalls.compute(rid, (id, n) -> n == null || n <= 1 ? null : n - 1) == null;
    }

    private void cancel(Acquire command) {
        try {
            queue.send(CancelWait.of(command.slotId(), command.actor(), command.requestId()));
        } catch (QueueFullException | IllegalStateException e) {
            // Full, or closing: the waiter stays until its wait ends by itself, at most the wait it asked for.
            log.warn("waiter of a closed call stays in line of slot {} until its wait ends: {}", command.slotId(),
                    e.getMessage());
        }
        // Nothing will answer the closed call: stop calling the request in flight.
        replies.forget(command.requestId());
    }

    /** The 503 for a command the queue refused. */
    public static ApiResponse busy(int retryAfterSeconds) {
        return ApiResponse.error(503, "busy", "the request queue is full; retry shortly")
                .withHeader("Retry-After", Integer.toString(retryAfterSeconds));
    }

    /** The 202 for a request whose reply has not come yet. */
    public static ApiResponse pending(String requestId) {
        String location = ApiRoutes.requestLocation(requestId);
        return ApiResponse.json(202, Map.of("requestId", requestId, "status", "pending", "location", location))
                .withHeader("Location", location);
    }
}
