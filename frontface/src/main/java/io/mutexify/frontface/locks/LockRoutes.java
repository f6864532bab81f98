package io.mutexify.frontface.locks;

import io.mutexify.frontface.dispatch.CommandDispatcher;
import io.mutexify.frontface.dispatch.RequestIds;
import io.mutexify.frontface.http.ApiException;
import io.mutexify.frontface.http.ApiRequest;
import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.frontface.input.LockInput;
import io.mutexify.frontface.slots.SlotQuota;
import io.mutexify.model.command.Actor;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.port.SlotReader;
import io.mutexify.model.slot.Access;
import io.mutexify.model.slot.Hold;
import io.mutexify.model.slot.LockView;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/** {@code /api/v1/locks/{slot}[/{token}]}: acquire, status, extend, release. */
public final class LockRoutes {
    private static final Pattern TOKEN_SHAPE = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final SlotReader reader;
    private final CommandDispatcher dispatcher;
    private final Clock clock;
    private final SlotQuota quota;

    public LockRoutes(SlotReader reader, CommandDispatcher dispatcher, Clock clock, SlotQuota quota) {
        this.reader = reader;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.quota = quota;
    }

    public CompletableFuture<ApiResponse> acquire(ApiRequest req, Actor actor, String slot) {
        LockInput.Acquire in = LockInput.acquire(req.body());
        if (!actor.admin() && !reader.load(slot).isRegistered()) {
            quota.checkRoomFor(actor); // this acquire would register the slot
        }
        String rid = requestId(req, actor);
        var cmd = new SlotCommand.Acquire(rid, slot, actor, in.owner(), in.timeout(), in.metadata(), in.waitSeconds(),
                in.unit());
        if (in.waitSeconds() > 0) {
            return dispatcher.dispatchWaiting(cmd, req.callWatch());
        }
        return dispatcher.dispatch(cmd, Duration.ZERO);
    }

    /** The holder's public view; 404 when the slot is free (an expired hold counts as free) or not the caller's to see. */
    public ApiResponse status(Actor actor, String slot) {
        var state = reader.load(slot);
        Optional<Hold> live = state.isRegistered() && Access.maySee(state, actor)
                ? state.liveHold(clock.instant()) : Optional.empty();
        return live.map(h -> ApiResponse.json(200, LockView.forPublic(slot, h)))
                .orElseThrow(() -> ApiException.notFound("not_held", "slot " + slot + " is free"));
    }

    /** The lock itself, for its holder; 404 unless {@code token} holds the slot now and the caller may see it. */
    public ApiResponse get(Actor actor, String slot, String token) {
        return holderWith(actor, slot, token)
                .map(h -> ApiResponse.json(200, LockView.forHolder(slot, h)))
                .orElseThrow(() -> lockNotFound(slot));
    }

    public CompletableFuture<ApiResponse> extend(ApiRequest req, Actor actor, String slot, String token) {
        int timeout = LockInput.extendTimeout(req.body());
        checkTokenShape(slot, token);
        return dispatcher.dispatch(new SlotCommand.Extend(requestId(req, actor), slot, actor, token, timeout), Duration.ZERO);
    }

    public CompletableFuture<ApiResponse> release(ApiRequest req, Actor actor, String slot, String token) {
        checkTokenShape(slot, token);
        return dispatcher.dispatch(new SlotCommand.Release(requestId(req, actor), slot, actor, token), Duration.ZERO);
    }

    private Optional<Hold> holderWith(Actor actor, String slot, String token) {
        if (!TOKEN_SHAPE.matcher(token).matches()) {
            return Optional.empty();
        }
        var state = reader.load(slot);
        // The holder keeps seeing its own lock even if its membership was withdrawn meanwhile.
        return state.liveHolds(clock.instant()).stream()
                .filter(h -> h.token().equals(token))
                .filter(h -> h.principal().equals(actor.principal()) || Access.maySee(state, actor))
                .findFirst();
    }

    /** A token we could never have issued cannot hold anything: answer 404 without a round trip. */
    private static void checkTokenShape(String slot, String token) {
        if (!TOKEN_SHAPE.matcher(token).matches()) {
            throw lockNotFound(slot);
        }
    }

    private static ApiException lockNotFound(String slot) {
        return ApiException.notFound("lock_not_found", "that token does not hold slot " + slot);
    }

    static String requestId(ApiRequest req, Actor actor) {
        return RequestIds.forCall(req.header("Idempotency-Key"), actor.principal(), req.method(), req.path());
    }
}
