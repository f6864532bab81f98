package io.mutexify.model.machine;

import io.mutexify.model.command.Actor;
import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.command.SlotCommand.EndDelay;
import io.mutexify.model.command.SlotCommand.Expire;
import io.mutexify.model.event.EventType;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.event.LockEvent.EventData;
import io.mutexify.model.slot.Access;
import io.mutexify.model.slot.DelayedUnit;
import io.mutexify.model.slot.EndedWait;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.HistoryEntry.EndReason;
import io.mutexify.model.slot.Hold;
import io.mutexify.model.slot.LockView;
import io.mutexify.model.slot.SlotConfig;
import io.mutexify.model.slot.SlotState;
import io.mutexify.model.slot.Waiter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The working copy of one {@link SlotMachine#apply}: the state as it changes, and the reply, other
 * replies, events, timers and history the step makes; discarded after {@link #outcome()}.
 */
final class Step {
    final Policy policy;
    final SlotCommand command;
    final Instant now;
    final Supplier<String> tokens;
    SlotState state;
    boolean changed;
    Reply reply;
    boolean refusedAsLocked;
    /** The unit a refused acquire asked for, so its answer names that unit's holder. */
    String unitAsked;
    final List<Reply> otherReplies = new ArrayList<>();
    final List<LockEvent> events = new ArrayList<>();
    final List<ScheduledCommand> timers = new ArrayList<>();
    final List<HistoryEntry> history = new ArrayList<>();

    Step(Policy policy, SlotState state, SlotCommand command, Instant now, Supplier<String> tokens) {
        this.policy = policy;
        this.state = state;
        this.command = command;
        this.now = now;
        this.tokens = tokens;
    }

    Outcome outcome() {
        if (changed) {
            forgetOldEndedWaits();
        }
        return new Outcome(state, changed, reply, otherReplies, events, timers, history);
    }

    String slotId() {
        return state.id();
    }

    String rid() {
        return command.requestId();
    }

    Reply takeOtherReply(String requestId) {
        for (int i = 0; i < otherReplies.size(); i++) {
            if (otherReplies.get(i).requestId().equals(requestId)) {
                return otherReplies.remove(i);
            }
        }
        throw new IllegalStateException("no reply for " + requestId);
    }

    Hold grant(String lockId, String owner, String principal, int timeout, List<String> metadata, String unit) {
        long fence = state.fence() + 1;
        Instant expireAt = now.plusSeconds(timeout);
        Hold hold = new Hold(lockId, owner, principal, tokens.get(), fence, timeout, metadata, now, now, expireAt,
                unit);
        List<Hold> holds = new ArrayList<>(state.holds());
        holds.add(hold);
        state = state.withFence(fence).withHolds(holds);
        changed = true;
        timers.add(new ScheduledCommand(expireAt, Expire.of(slotId(), fence, expireAt)));
        event(EventType.LOCK_ACQUIRED, hold, new Actor(principal, false), null);
        return hold;
    }

    void endHold(Hold hold, EndReason why, Instant endedAt, Actor actor, String reason) {
        history.add(new HistoryEntry(slotId(), hold.fence(), hold.owner(), hold.principal(), hold.createdAt(),
                endedAt, why, actor.principal(), hold.unit()));
        EventType type = switch (why) {
            case RELEASED -> EventType.LOCK_RELEASED;
            case EXPIRED -> EventType.LOCK_EXPIRED;
            case BROKEN -> EventType.LOCK_BROKEN;
        };
        event(type, hold, actor, reason);
        state = state.withHolds(replaced(hold, null));
        changed = true;
        if (why != EndReason.RELEASED) {
            delayAfter(hold, endedAt);
        }
    }

    /** Lock-delay: a unit lost involuntarily stays ungranted a while, so its old holder can notice first. */
    void delayAfter(Hold hold, Instant endedAt) {
        int delay = state.config() == null ? 0 : state.config().lockDelay();
        Instant until = endedAt.plusSeconds(delay);
        if (delay == 0 || !now.isBefore(until)) {
            return;
        }
        List<DelayedUnit> delays = new ArrayList<>(state.delays());
        delays.add(new DelayedUnit(hold.unit(), hold.fence(), until));
        state = state.withDelays(delays);
        timers.add(new ScheduledCommand(until, EndDelay.of(slotId(), hold.fence(), until)));
    }

    /** The holds with {@code old} replaced by {@code replacement}, or left out when that is null. */
    List<Hold> replaced(Hold old, Hold replacement) {
        List<Hold> holds = new ArrayList<>();
        for (Hold h : state.holds()) {
            if (h.fence() != old.fence()) {
                holds.add(h);
            } else if (replacement != null) {
                holds.add(replacement);
            }
        }
        return holds;
    }

    /** Answers a waiter that leaves the line without the lock, and remembers that answer. */
    void leftLine(Waiter w, Reply answer) {
        otherReplies.add(answer);
        List<EndedWait> ended = new ArrayList<>(state.endedWaits());
        ended.add(new EndedWait(w.requestId(), answer.status(), answer.error(), answer.message(), answer.lock(), now));
        state = state.withEndedWaits(ended);
        changed = true;
    }

    /** The answer a waiter that left the line was given, as its request's reply. */
    Reply answerOf(EndedWait e) {
        return new Reply(e.requestId(), slotId(), e.status(), e.error(), e.message(), e.lock(), null);
    }

    /** Pruned only in a step that writes anyway, so remembering never makes a write of its own. */
    void forgetOldEndedWaits() {
        List<EndedWait> all = state.endedWaits();
        Instant horizon = now.minus(SlotMachine.ENDED_WAIT_MEMORY);
        List<EndedWait> kept = all.stream().filter(e -> e.at().isAfter(horizon)).toList();
        if (kept.size() > SlotMachine.MAX_ENDED_WAITS) {
            kept = kept.subList(kept.size() - SlotMachine.MAX_ENDED_WAITS, kept.size());
        }
        if (kept.size() != all.size()) {
            state = state.withEndedWaits(kept);
        }
    }

    void register(SlotConfig config, Actor actor) {
        state = state.withConfig(config);
        changed = true;
        slotEvent(EventType.SLOT_CREATED, actor);
    }

    Optional<Hold> heldWithToken(String token) {
        if (!state.isRegistered()) {
            reply = notFound("slot " + slotId() + " not found, or you are not a member");
            return Optional.empty();
        }
        Optional<Hold> live = state.liveHolds(now).stream().filter(h -> h.token().equals(token)).findFirst();
        if (live.isEmpty()) {
            reply = Reply.error(rid(), slotId(), 404, "lock_not_found",
                    "that token does not hold slot " + slotId());
        }
        return live;
    }

    boolean requireRegistered() {
        if (!state.isRegistered()) {
            reply = notFound("slot " + slotId() + " not found, or you are not a member");
            return false;
        }
        return true;
    }

    boolean requireOwner(Actor actor) {
        if (Access.mayAdminister(state.config(), actor)) {
            return true;
        }
        reply = forbidden("only an owner of slot " + slotId() + " may do that");
        return false;
    }

    boolean mayUse(SlotConfig config, Actor actor) {
        return Access.mayUse(config, actor);
    }

    Reply notFound(String message) {
        return notFoundFor(rid(), message);
    }

    Reply notFoundFor(String requestId, String message) {
        return Reply.error(requestId, slotId(), 404, "slot_not_found", message);
    }

    Reply forbidden(String message) {
        return Reply.error(rid(), slotId(), 403, "forbidden", message);
    }

    Reply lockedReply(String requestId, String message) {
        LockView holder = state.liveHolds(now).stream()
                .filter(h -> unitAsked == null || unitAsked.equals(h.unit()))
                .findFirst()
                .map(h -> LockView.forPublic(slotId(), h)).orElse(null);
        return new Reply(requestId, slotId(), 409, "locked", message, holder, null);
    }

    void event(EventType type, Hold hold, Actor actor, String reason) {
        addEvent(type, new EventData(slotId(), hold.owner(), hold.principal(), hold.fence(), hold.expireAt(),
                actor.principal(), reason, hold.unit()));
    }

    void slotEvent(EventType type, Actor actor) {
        addEvent(type, new EventData(slotId(), null, null, state.fence(), null, actor.principal(), null));
    }

    void addEvent(EventType type, EventData data) {
        // Numbered by the slot's own event count, committed with the event: a retry or redelivery
        // of the same request makes new events with new ids, never a second content for an old id.
        long seq = state.eventSeq() + 1;
        state = state.withEventSeq(seq);
        changed = true;
        events.add(new LockEvent(SlotState.eventId(slotId(), seq), type, slotId(), now, data));
    }
}
