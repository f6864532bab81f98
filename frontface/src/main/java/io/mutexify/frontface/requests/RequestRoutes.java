package io.mutexify.frontface.requests;

import io.mutexify.frontface.dispatch.CommandDispatcher;
import io.mutexify.frontface.dispatch.ReplyResponses;
import io.mutexify.frontface.dispatch.ReplyWaiter;
import io.mutexify.frontface.dispatch.RequestIds;
import io.mutexify.frontface.http.ApiException;
import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.model.command.Actor;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.QueueFullException;
import io.mutexify.model.port.SlotReader;
import io.mutexify.model.slot.Access;
import io.mutexify.model.slot.SlotState;
import io.mutexify.frontface.dispatch.LongWaits;
import io.mutexify.frontface.http.ApiRequest;
import io.mutexify.frontface.http.QueryParams;
import io.mutexify.model.slot.Limits;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.Optional;

/** {@code /api/v1/requests/{id}}: the reply of a request that answered 202, once it exists. */
public final class RequestRoutes {
    private final SlotReader reader;
    private final ReplyWaiter replies;
    private final LongWaits longWaits;

    public RequestRoutes(SlotReader reader, ReplyWaiter replies, LongWaits longWaits) {
        this.reader = reader;
        this.replies = replies;
        this.longWaits = longWaits;
    }

    /**
     * The reply, or 202 while there is none; with {@code ?wait=30s} (at most the one-call limit) a
     * pending request is long-polled until its reply comes. Each poll keeps a long wait in line: it
     * tells the slot, whose machine takes a long wait nobody polls out of the line.
     */
    public CompletableFuture<ApiResponse> get(ApiRequest req, Actor actor, String requestId) {
        if (!RequestIds.isWellFormed(requestId)) {
            throw unknown();
        }
        Duration wait = req.queryParam("wait") == null ? Duration.ZERO : QueryParams.watchWait(req);
        if (wait.toSeconds() > Limits.MAX_CALL_WAIT_SECONDS) {
            throw ApiException.badRequest("invalid_wait", "wait must be at most " + Limits.MAX_CALL_WAIT_SECONDS + "s here");
        }
        ApiResponse first = now(actor, requestId);
        if (first.status() == 202) {
            // Still unanswered: if it is the caller's long wait, its waiter stays in line for this call and the grace.
            longWaits.polled(actor, requestId, wait);
        }
        if (first.status() != 202 || wait.isZero()) {
            return CompletableFuture.completedFuture(first);
        }
        return replies.expect(requestId).copy()
                .completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS)
                .handle((r, e) -> now(actor, requestId));
    }

    /**
     * {@code DELETE}: the caller's own long wait leaves the line (204), on whichever instance it is
     * asked, and its request's answer becomes a 409 (202 until that is stored); anything else, or a
     * wait already answered, 404. A grant made before the cancel stands.
     */
    public ApiResponse cancel(Actor actor, String requestId) {
        if (!RequestIds.isWellFormed(requestId) || reader.findReply(requestId).isPresent()) {
            throw unknown();
        }
        try {
            if (!longWaits.cancel(actor, requestId)) {
                throw unknown();
            }
        } catch (QueueFullException e) {
            return CommandDispatcher.busy(e.retryAfterSeconds());
        }
        // Still in flight here: the slot answers the withdrawn wait, and polls show that answer once it is stored.
        return ApiResponse.empty(204);
    }

    private ApiResponse now(Actor actor, String requestId) {
        // Read "in flight" before the store: a reply is committed before it is sent, so a request
        // that stopped being in flight meanwhile is already in the store.
        boolean inFlight = replies.isInFlight(requestId);
        Optional<Reply> reply = reader.findReply(requestId);
        if (reply.isEmpty()) {
            if (inFlight) {
                return CommandDispatcher.pending(requestId);
            }
            throw unknown();
        }
        return ReplyResponses.toResponse(forCaller(reply.get(), actor));
    }

    /**
     * An id made from an Idempotency-Key can be computed by anyone who knows the key and the
     * caller's principal, so the reply is shown only to those who may see its slot, and a lock's
     * token only to the lock's holder.
     */
    private Reply forCaller(Reply r, Actor actor) {
        SlotState slot = reader.load(r.slotId());
        if (slot.isRegistered() && !Access.maySee(slot, actor) || carriesEarlierSlot(r, slot)) {
            throw unknown();
        }
        if (r.lock() != null && r.lock().token() != null && !r.lock().principal().equals(actor.principal())) {
            return new Reply(r.requestId(), r.slotId(), r.status(), r.error(), r.message(), r.lock().withoutToken(), r.slot());
        }
        return r;
    }

    /**
     * A reply that shows a lock or a slot from before the slot was (last) registered is about a
     * deleted slot of the same id: not for whoever registered the id next, nor for anyone while it
     * is deleted.
     */
    private static boolean carriesEarlierSlot(Reply r, SlotState slot) {
        if (r.lock() == null && r.slot() == null) {
            return false;
        }
        if (!slot.isRegistered()) {
            return true;
        }
        Instant registered = slot.config().createdAt();
        Instant shown = r.lock() != null ? r.lock().createdAt() : r.slot().createdAt();
        return registered != null && shown != null && shown.isBefore(registered);
    }

    private static ApiException unknown() {
        return ApiException.notFound("request_not_found", "no such request, or it is not known to this instance");
    }
}
