package io.mutexify.frontface.slots;

import io.mutexify.frontface.dispatch.CommandDispatcher;
import io.mutexify.frontface.dispatch.RequestIds;
import io.mutexify.frontface.http.ApiException;
import io.mutexify.frontface.http.ApiRequest;
import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.frontface.http.QueryParams;
import io.mutexify.frontface.input.JsonBody;
import io.mutexify.frontface.input.SlotInput;
import io.mutexify.frontface.watch.SlotWatch;
import io.mutexify.frontface.watch.WatchQuota;
import io.mutexify.model.command.Actor;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.port.SlotReader;
import io.mutexify.model.slot.Access;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.Limits;
import io.mutexify.model.slot.LockView;
import io.mutexify.model.slot.SlotState;
import io.mutexify.model.slot.SlotView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** {@code /api/v1/slots[/{id}[/break|/history]]}: register, list, watch, change, delete, break, audit. */
public final class SlotRoutes {
    private static final Set<String> BREAK_FIELDS = Set.of("reason", "unit", "lockId");

    private final SlotReader reader;
    private final CommandDispatcher dispatcher;
    private final SlotWatch watch;
    private final WatchQuota watches;
    private final SlotQuota quota;
    private final Clock clock;
    private final ListAnswers answers = new ListAnswers();

    public SlotRoutes(SlotReader reader, CommandDispatcher dispatcher, SlotWatch watch, WatchQuota watches, SlotQuota quota, Clock clock) {
        this.reader = reader;
        this.dispatcher = dispatcher;
        this.watch = watch;
        this.watches = watches;
        this.quota = quota;
        this.clock = clock;
    }

    public CompletableFuture<ApiResponse> create(ApiRequest req, Actor actor) {
        SlotInput.Create in = SlotInput.create(req.body());
        quota.checkRoomFor(actor);
        return dispatcher.dispatch(new SlotCommand.CreateSlot(requestId(req, actor), in.id(), actor, in.spec()), Duration.ZERO);
    }

    /**
     * One page of the registered slots the caller may see, by id: {@code ?limit=N} (default
     * {@value SlotPage#DEFAULT_PAGE}, at most {@value SlotPage#MAX_PAGE}) after {@code ?after=<slot id>}; the answer's
     * {@code next} (and a {@code Link} header) names the next page while there is one. With
     * {@code ?index=N} waits until any slot changes after global index N.
     */
    public CompletableFuture<ApiResponse> list(ApiRequest req, Actor actor) {
        Long index = QueryParams.index(req);
        Duration wait = QueryParams.watchWait(req);
        SlotPage page = SlotPage.of(req);
        if (index == null || index > watch.globalIndex()) { // an index ahead of ours: answer now, never wait for it
            return CompletableFuture.completedFuture(listNow(actor, page));
        }
        return watches.watch(actor.principal(), () -> watch.awaitAny(index, wait).thenApply(v -> listNow(actor, page)));
    }

    private ApiResponse listNow(Actor actor, SlotPage page) {
        // Read after the index: the slots are at least as new as the index they are labelled with.
        long index = watch.globalIndex();
        // What one may see depends on the principal and on being an administrator.
        String caller = actor.principal() + (actor.admin() ? "\n+" : "\n-") + "\n" + page.limit() + "\n" + page.after();
        return answers.answer(caller, index, () -> list(index, actor, page));
    }

    private ApiResponse list(long index, Actor actor, SlotPage page) {
        Instant now = clock.instant();
        // An administrator pages through every slot; anyone else through the store's index of their own.
        List<SlotState> read = reader.page(actor.admin() ? null : actor.principal(), page.after(), page.limit() + 1);
        boolean more = read.size() > page.limit();
        List<SlotState> shown = more ? read.subList(0, page.limit()) : read;
        List<SlotView> slots = shown.stream()
                .filter(s -> s.isRegistered() && Access.maySee(s, actor))
                .map(s -> SlotView.of(s, now))
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("slots", slots);
        body.put("index", index);
        // The cursor is the last slot read, not the last shown: a deleted slot an administrator's page skipped is not read again.
        String next = more ? shown.get(shown.size() - 1).id() : null;
        body.put("next", next);
        ApiResponse answer = ApiResponse.json(200, body).withHeader("X-Mutexify-Index", Long.toString(index));
        return next == null ? answer : answer.withHeader("Link", "</api/v1/slots?limit=" + page.limit() + "&after="
                + next + ">; rel=\"next\"");
    }

    /** One slot; with {@code ?index=N&wait=30s} long-polls until its version passes N. */
    public CompletableFuture<ApiResponse> get(ApiRequest req, Actor actor, String slot) {
        Long index = QueryParams.index(req);
        Duration wait = QueryParams.watchWait(req);
        SlotState first = reader.load(slot);
        // Checked before waiting too: a slot one may not see must not be watchable for its changes.
        // An index ahead of the slot's (from another instance, or a reset store) answers at once too:
        // waiting for it would hold the caller for a change it has in effect already seen.
        if (index == null || first.version() != index || !visible(first, actor)) {
            return CompletableFuture.completedFuture(view(first, actor));
        }
        return watches.watch(actor.principal(), () -> watch.awaitSlot(slot, index, wait).thenApply(v -> view(reader.load(slot), actor)));
    }

    public CompletableFuture<ApiResponse> update(ApiRequest req, Actor actor, String slot) {
        var patch = SlotInput.patch(req.body());
        return dispatcher.dispatch(new SlotCommand.UpdateSlot(requestId(req, actor), slot, actor, patch), Duration.ZERO);
    }

    public CompletableFuture<ApiResponse> delete(ApiRequest req, Actor actor, String slot) {
        return dispatcher.dispatch(new SlotCommand.DeleteSlot(requestId(req, actor), slot, actor), Duration.ZERO);
    }

    public CompletableFuture<ApiResponse> breakLock(ApiRequest req, Actor actor, String slot) {
        JsonBody body = JsonBody.parse(req.body(), true, BREAK_FIELDS);
        // A unit or lock id breaks that one hold of a pool; neither breaks every hold.
        var cmd = new SlotCommand.Break(requestId(req, actor), slot, actor, body.string("reason", 512, false),
                body.string("lockId", 256, true), body.string("unit", Limits.MAX_UNIT_CHARS, true));
        return dispatcher.dispatch(cmd, Duration.ZERO);
    }

    /** Finished holds, newest first, with the current hold (if any) on top. */
    public ApiResponse history(ApiRequest req, Actor actor, String slot) {
        int limit = QueryParams.limit(req, 100, 1000);
        SlotState state = reader.load(slot);
        if (!visible(state, actor)) {
            throw slotNotFound(slot);
        }
        // Holds from before the slot was last registered belong to a deleted slot of the same id, and
        // to its owners: whoever registers the id next does not get to read them.
        Instant registered = state.config().createdAt();
        List<Map<String, Object>> entries = reader.history(slot, limit).stream()
                .filter(h -> registered == null || !h.acquiredAt().isBefore(registered))
                .map(SlotRoutes::entry).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("slot", slot);
        body.put("current", state.liveHold(clock.instant()).map(h -> LockView.forPublic(slot, h)).orElse(null));
        // Every live hold of a pool; "current" stays the first of them, as a slot with one holder shows it.
        body.put("holds", state.liveHolds(clock.instant()).stream().map(h -> LockView.forPublic(slot, h)).toList());
        body.put("history", entries);
        return ApiResponse.json(200, body);
    }

    private static Map<String, Object> entry(HistoryEntry h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fence", h.fence());
        m.put("owner", h.owner());
        m.put("principal", h.principal());
        m.put("acquiredAt", h.acquiredAt());
        m.put("endedAt", h.endedAt());
        m.put("ended", h.endReason().wireName());
        m.put("endedBy", h.endedBy());
        if (h.unit() != null) {
            m.put("unit", h.unit());
        }
        return m;
    }

    private ApiResponse view(SlotState state, Actor actor) {
        if (!visible(state, actor)) {
            throw slotNotFound(state.id());
        }
        return ApiResponse.json(200, SlotView.of(state, clock.instant()))
                .withHeader("X-Mutexify-Index", Long.toString(state.version()));
    }

    /** A slot the caller may not see answers exactly as one that does not exist. */
    private static boolean visible(SlotState state, Actor actor) {
        return state.isRegistered() && Access.maySee(state, actor);
    }

    private static ApiException slotNotFound(String slot) {
        return ApiException.notFound("slot_not_found", "slot " + slot + " not found, or you are not a member");
    }

    private static String requestId(ApiRequest req, Actor actor) {
        return RequestIds.forCall(req.header("Idempotency-Key"), actor.principal(), req.method(), req.path());
    }
}
