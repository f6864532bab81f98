package io.mutexify.model.machine;

import io.mutexify.model.command.Actor;
import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.command.SlotCommand.Break;
import io.mutexify.model.command.SlotCommand.CancelWait;
import io.mutexify.model.command.SlotCommand.CreateSlot;
import io.mutexify.model.command.SlotCommand.DeleteSlot;
import io.mutexify.model.command.SlotCommand.EndWait;
import io.mutexify.model.command.SlotCommand.Expire;
import io.mutexify.model.command.SlotCommand.Extend;
import io.mutexify.model.command.SlotCommand.Release;
import io.mutexify.model.command.SlotCommand.UpdateSlot;
import io.mutexify.model.event.EventType;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.event.LockEvent.EventData;
import io.mutexify.model.slot.Access;
import io.mutexify.model.slot.EndedWait;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.HistoryEntry.EndReason;
import io.mutexify.model.slot.Hold;
import io.mutexify.model.slot.LockView;
import io.mutexify.model.slot.SlotConfig;
import io.mutexify.model.slot.SlotState;
import io.mutexify.model.slot.SlotView;
import io.mutexify.model.slot.Waiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The slot state machine: {@code (state, command, now, token) → outcome}. Pure: no I/O, no clock,
 * no randomness; the caller passes the time and a fresh token for the one grant a command may make.
 *
 * <p>Every command first settles the slot at {@code now} (an expired hold ends, waiters whose wait
 * ended leave the line), then does its own work, then hands a free slot to the oldest waiter.
 *
 * <p>One answer per request: a command whose request already has an answer gets that answer and
 * does nothing else. The machine knows the answers made in this step (a retry of a waiter whose
 * wait just ended while settling), those of waiters that left the line recently without the lock
 * ({@link SlotState#endedWaits()}), and the grant of the request holding the lock; every other
 * recorded reply is the caller's to look up first (the Lockkeeper answers those from the store).
 */
public final class SlotMachine {
    /** How long a waiter that left the line without the lock is remembered; its reply is stored far longer. */
    static final Duration ENDED_WAIT_MEMORY = Duration.ofMinutes(15);
    /** At most this many are remembered per slot, newest kept, so a slot's state stays small. */
    static final int MAX_ENDED_WAITS = 256;

    private final Policy policy;

    public SlotMachine(Policy policy) {
        this.policy = policy;
    }

    /** Applies {@code command} to {@code state} at {@code now}; {@code freshToken} is used if a lock is granted. */
    public Outcome apply(SlotState state, SlotCommand command, Instant now, String freshToken) {
        if (!state.id().equals(command.slotId())) {
            throw new IllegalArgumentException("command for " + command.slotId() + " applied to " + state.id());
        }
        Step step = new Step(state, command, now, freshToken);
        step.settle();
        // Java 17 has no pattern switch; the sealed interface keeps this list complete.
        if (step.alreadyAnswered()) {
            // The settling above is all this step does (and whatever it freed is handed on below).
        } else if (command instanceof Acquire c) {
            step.acquire(c);
        } else if (command instanceof Extend c) {
            step.extend(c);
        } else if (command instanceof Release c) {
            step.release(c);
        } else if (command instanceof Break c) {
            step.breakLock(c);
        } else if (command instanceof CreateSlot c) {
            step.create(c);
        } else if (command instanceof UpdateSlot c) {
            step.update(c);
        } else if (command instanceof DeleteSlot c) {
            step.delete(c);
        } else if (command instanceof Expire c) {
            step.rearmExpiry(c);
        } else if (command instanceof EndWait c) {
            step.rearmEndWait(c);
        } else if (command instanceof CancelWait c) {
            step.cancelWait(c);
        }
        step.promote();
        step.finishRefusal();
        return step.outcome();
    }

    /** The working copy of one application; discarded after {@link #outcome()}. */
    private final class Step {
        private final SlotCommand command;
        private final Instant now;
        private final String freshToken;
        private SlotState state;
        private boolean changed;
        private Reply reply;
        private boolean refusedAsLocked;
        private final List<Reply> otherReplies = new ArrayList<>();
        private final List<LockEvent> events = new ArrayList<>();
        private final List<ScheduledCommand> timers = new ArrayList<>();
        private final List<HistoryEntry> history = new ArrayList<>();

        Step(SlotState state, SlotCommand command, Instant now, String freshToken) {
            this.state = state;
            this.command = command;
            this.now = now;
            this.freshToken = freshToken;
        }

        Outcome outcome() {
            if (changed) {
                forgetOldEndedWaits();
            }
            return new Outcome(state, changed, reply, otherReplies, events, timers, history);
        }

        private String slotId() {
            return state.id();
        }

        private String rid() {
            return command.requestId();
        }

        /** Ends an expired hold and drops waiters whose wait ended, as if their timers had run. */
        void settle() {
            Hold hold = state.hold();
            if (hold != null && !hold.isLiveAt(now)) {
                endHold(hold, EndReason.EXPIRED, hold.expireAt(), Actor.SYSTEM, "timeout");
            }
            List<Waiter> still = new ArrayList<>();
            for (Waiter w : state.waiters()) {
                if (w.isWaitingAt(now)) {
                    still.add(w);
                } else {
                    leftLine(w, lockedReply(w.requestId(), "the lock was not free before the wait ended"));
                }
            }
            if (still.size() != state.waiters().size()) {
                state = state.withWaiters(still);
                changed = true;
            }
        }

        /**
         * Whether this request was answered already: while settling in this step (its wait had
         * just ended), or when it left the line earlier. That answer becomes the command's reply,
         * so a retry is never taken for a new request under the same id.
         */
        boolean alreadyAnswered() {
            if (!command.fromClient()) {
                return false;
            }
            for (int i = 0; i < otherReplies.size(); i++) {
                if (otherReplies.get(i).requestId().equals(rid())) {
                    reply = otherReplies.remove(i);
                    return true;
                }
            }
            Optional<EndedWait> ended = state.endedWait(rid());
            ended.ifPresent(e -> reply = new Reply(rid(), slotId(), e.status(), e.error(), e.message(), e.lock(), null));
            return ended.isPresent();
        }

        void acquire(Acquire c) {
            if (state.waiters().stream().anyMatch(w -> w.requestId().equals(c.requestId()))) {
                return; // the same request again while it waits: it keeps its place, the answer comes later
            }
            Hold mine = state.hold();
            if (mine != null && mine.id().equals(c.requestId())) {
                // This request was granted the lock it still holds: the same grant again, never a second one.
                reply = Reply.ok(rid(), slotId(), 200, LockView.forHolder(slotId(), mine));
                return;
            }
            SlotConfig config = state.config();
            if (config == null && !policy.autoRegister()) {
                reply = notFound("slot " + slotId() + " not found, or you are not a member");
                return;
            }
            // Access first: the timeout check names the slot's limit, which is not a stranger's to learn.
            if (config != null && !mayUse(config, c.actor())) {
                reply = forbidden("you are not a member of slot " + slotId());
                return;
            }
            int maxTimeout = config == null ? policy.maxTimeout() : config.maxTimeout();
            int timeout = c.timeout() != null ? c.timeout() : config == null ? policy.defaultTimeout() : config.defaultTimeout();
            if (timeout < 1 || timeout > maxTimeout) {
                reply = Reply.error(rid(), slotId(), 400, "invalid_timeout",
                        "timeout must be an integer from 1 to " + maxTimeout + " seconds for this slot");
                return;
            }
            if (config == null) {
                register(new SlotConfig(null, null, List.of(c.actor().principal()), List.of(),
                        policy.defaultTimeout(), policy.maxTimeout(), now, now), c.actor());
            }
            String owner = c.owner() != null ? c.owner() : c.actor().principal();
            if (state.hold() == null && state.waiters().isEmpty()) {
                grant(rid(), owner, c.actor().principal(), timeout, c.metadata());
                reply = Reply.ok(rid(), slotId(), 200, LockView.forHolder(slotId(), state.hold()));
            } else if (c.waitSeconds() > 0) {
                Instant until = now.plusSeconds(c.waitSeconds());
                List<Waiter> line = new ArrayList<>(state.waiters());
                line.add(new Waiter(rid(), owner, c.actor().principal(), timeout, c.metadata(), now, until));
                state = state.withWaiters(line);
                changed = true;
                timers.add(new ScheduledCommand(until, EndWait.of(slotId(), rid(), until)));
            } else {
                refusedAsLocked = true; // answered after promote(), so the reply names whoever holds it then
            }
        }

        void extend(Extend c) {
            Optional<Hold> held = heldWithToken(c.token());
            if (held.isEmpty()) {
                return;
            }
            Hold hold = held.get();
            if (!mayUse(state.config(), c.actor())) {
                reply = forbidden("you are not a member of slot " + slotId());
                return;
            }
            int max = state.config().maxTimeout();
            if (c.timeout() < 1 || c.timeout() > max) {
                reply = Reply.error(rid(), slotId(), 400, "invalid_timeout",
                        "timeout must be an integer from 1 to " + max + " seconds for this slot");
                return;
            }
            Instant newExpiry = now.plusSeconds(c.timeout());
            if (newExpiry.isBefore(hold.expireAt())) {
                reply = Reply.error(rid(), slotId(), 409, "would_shorten",
                        "extending by " + c.timeout() + "s would end the lock earlier than its current expiry "
                                + hold.expireAt());
                return;
            }
            Hold extended = hold.extendedTo(c.timeout(), now);
            state = state.withHold(extended);
            changed = true;
            timers.add(new ScheduledCommand(extended.expireAt(), Expire.of(slotId(), extended.fence(), extended.expireAt())));
            event(EventType.LOCK_EXTENDED, extended, c.actor(), null);
            reply = Reply.ok(rid(), slotId(), 200, LockView.forHolder(slotId(), extended));
        }

        void release(Release c) {
            heldWithToken(c.token()).ifPresent(hold -> {
                // The holder may give the lock back even if its membership was withdrawn meanwhile;
                // anyone else needs the token *and* a right to use the slot.
                if (!hold.principal().equals(c.actor().principal()) && !mayUse(state.config(), c.actor())) {
                    reply = forbidden("only the holder or a member of slot " + slotId() + " may release its lock");
                    return;
                }
                endHold(hold, EndReason.RELEASED, now, c.actor(), "released");
                reply = Reply.noContent(rid(), slotId());
            });
        }

        void breakLock(Break c) {
            if (!requireRegistered() || !requireOwner(c.actor())) {
                return;
            }
            Optional<Hold> live = state.liveHold(now);
            if (live.isEmpty()) {
                reply = Reply.error(rid(), slotId(), 404, "not_held", "slot " + slotId() + " is not held");
                return;
            }
            endHold(live.get(), EndReason.BROKEN, now, c.actor(), c.reason() == null ? "broken" : c.reason());
            reply = Reply.ok(rid(), slotId(), 200, LockView.forPublic(slotId(), live.get()));
        }

        void create(CreateSlot c) {
            if (state.isRegistered()) {
                reply = Reply.error(rid(), slotId(), 409, "slot_exists", "slot " + slotId() + " already exists");
                return;
            }
            var spec = c.spec();
            List<String> owners = spec.owners() != null ? spec.owners() : List.of(c.actor().principal());
            SlotConfig config = new SlotConfig(spec.name(), spec.description(), owners,
                    spec.members() != null ? spec.members() : List.of(),
                    spec.defaultTimeout() != null ? spec.defaultTimeout() : Math.min(policy.defaultTimeout(),
                            spec.maxTimeout() != null ? spec.maxTimeout() : policy.maxTimeout()),
                    spec.maxTimeout() != null ? spec.maxTimeout() : policy.maxTimeout(), now, now);
            if (invalidConfig(config)) {
                return;
            }
            register(config, c.actor());
            reply = Reply.slot(rid(), 201, SlotView.of(state, now));
        }

        void update(UpdateSlot c) {
            if (!requireRegistered() || !requireOwner(c.actor())) {
                return;
            }
            SlotConfig old = state.config();
            var p = c.patch();
            SlotConfig config = new SlotConfig(
                    p.name() != null ? p.name() : old.name(),
                    p.description() != null ? p.description() : old.description(),
                    p.owners() != null ? p.owners() : old.owners(),
                    p.members() != null ? p.members() : old.members(),
                    p.defaultTimeout() != null ? p.defaultTimeout() : old.defaultTimeout(),
                    p.maxTimeout() != null ? p.maxTimeout() : old.maxTimeout(),
                    old.createdAt(), now);
            if (invalidConfig(config)) {
                return;
            }
            state = state.withConfig(config);
            changed = true;
            slotEvent(EventType.SLOT_UPDATED, c.actor());
            reply = Reply.slot(rid(), 200, SlotView.of(state, now));
        }

        void delete(DeleteSlot c) {
            if (!requireRegistered() || !requireOwner(c.actor())) {
                return;
            }
            Optional<Hold> live = state.liveHold(now);
            if (live.isPresent()) {
                reply = new Reply(rid(), slotId(), 409, "slot_held", "slot " + slotId() + " is held; release or break it first",
                        LockView.forPublic(slotId(), live.get()), null);
                return;
            }
            for (Waiter w : state.waiters()) {
                leftLine(w, notFoundFor(w.requestId(), "slot " + slotId() + " was deleted"));
            }
            // The fence, event count and ended waits are kept, so a slot registered again under this
            // id never hands out an old fence, reuses an event id or forgets an answer.
            state = new SlotState(slotId(), null, state.fence(), null, List.of(), state.version(), state.eventSeq(),
                    state.endedWaits());
            changed = true;
            slotEvent(EventType.SLOT_DELETED, c.actor());
            reply = Reply.noContent(rid(), slotId());
        }

        /** settle() already ended the hold if it was due; a timer that fired early is armed again. */
        void rearmExpiry(Expire c) {
            Hold hold = state.hold();
            if (hold != null && hold.fence() == c.fence() && hold.expireAt().equals(c.at())) {
                timers.add(new ScheduledCommand(c.at(), c));
            }
        }

        void rearmEndWait(EndWait c) {
            state.waiters().stream()
                    .filter(w -> w.requestId().equals(c.waiterRequestId()) && w.waitUntil().equals(c.at()))
                    .findFirst()
                    .ifPresent(w -> timers.add(new ScheduledCommand(c.at(), c)));
        }

        /** The waiter's call is gone: it leaves the line with no answer, so nobody is granted a lock nobody will use. */
        void cancelWait(CancelWait c) {
            List<Waiter> still = state.waiters().stream()
                    .filter(w -> !(w.requestId().equals(c.waiterRequestId()) && w.principal().equals(c.actor().principal())))
                    .toList();
            if (still.size() != state.waiters().size()) {
                state = state.withWaiters(still);
                changed = true;
            }
        }

        /** Hands a free registered slot to the oldest waiter. */
        void promote() {
            if (state.hold() != null || state.waiters().isEmpty() || !state.isRegistered()) {
                return;
            }
            Waiter next = state.waiters().get(0);
            state = state.withWaiters(state.waiters().subList(1, state.waiters().size()));
            grant(next.requestId(), next.owner(), next.principal(), next.timeout(), next.metadata());
            otherReplies.add(Reply.ok(next.requestId(), slotId(), 200, LockView.forHolder(slotId(), state.hold())));
        }

        void finishRefusal() {
            if (refusedAsLocked) {
                reply = lockedReply(rid(), "slot " + slotId() + " is held by another");
            }
        }

        private void grant(String lockId, String owner, String principal, int timeout, List<String> metadata) {
            long fence = state.fence() + 1;
            Instant expireAt = now.plusSeconds(timeout);
            Hold hold = new Hold(lockId, owner, principal, freshToken, fence, timeout, metadata, now, now, expireAt);
            state = state.withFence(fence).withHold(hold);
            changed = true;
            timers.add(new ScheduledCommand(expireAt, Expire.of(slotId(), fence, expireAt)));
            event(EventType.LOCK_ACQUIRED, hold, new Actor(principal, false), null);
        }

        private void endHold(Hold hold, EndReason why, Instant endedAt, Actor actor, String reason) {
            history.add(new HistoryEntry(slotId(), hold.fence(), hold.owner(), hold.principal(), hold.createdAt(),
                    endedAt, why, actor.principal()));
            EventType type = switch (why) {
                case RELEASED -> EventType.LOCK_RELEASED;
                case EXPIRED -> EventType.LOCK_EXPIRED;
                case BROKEN -> EventType.LOCK_BROKEN;
            };
            event(type, hold, actor, reason);
            state = state.withHold(null);
            changed = true;
        }

        /** Answers a waiter that leaves the line without the lock, and remembers that answer. */
        private void leftLine(Waiter w, Reply answer) {
            otherReplies.add(answer);
            List<EndedWait> ended = new ArrayList<>(state.endedWaits());
            ended.add(new EndedWait(w.requestId(), answer.status(), answer.error(), answer.message(), answer.lock(), now));
            state = state.withEndedWaits(ended);
            changed = true;
        }

        /** Pruned only in a step that writes anyway, so remembering never makes a write of its own. */
        private void forgetOldEndedWaits() {
            List<EndedWait> all = state.endedWaits();
            Instant horizon = now.minus(ENDED_WAIT_MEMORY);
            List<EndedWait> kept = all.stream().filter(e -> e.at().isAfter(horizon)).toList();
            if (kept.size() > MAX_ENDED_WAITS) {
                kept = kept.subList(kept.size() - MAX_ENDED_WAITS, kept.size());
            }
            if (kept.size() != all.size()) {
                state = state.withEndedWaits(kept);
            }
        }

        private void register(SlotConfig config, Actor actor) {
            state = state.withConfig(config);
            changed = true;
            slotEvent(EventType.SLOT_CREATED, actor);
        }

        private boolean invalidConfig(SlotConfig config) {
            String problem = SlotRules.problem(config);
            if (problem != null) {
                reply = Reply.error(rid(), slotId(), 400, "invalid_slot", problem);
                return true;
            }
            return false;
        }

        private Optional<Hold> heldWithToken(String token) {
            if (!state.isRegistered()) {
                reply = notFound("slot " + slotId() + " not found, or you are not a member");
                return Optional.empty();
            }
            Optional<Hold> live = state.liveHold(now).filter(h -> h.token().equals(token));
            if (live.isEmpty()) {
                reply = Reply.error(rid(), slotId(), 404, "lock_not_found",
                        "that token does not hold slot " + slotId());
            }
            return live;
        }

        private boolean requireRegistered() {
            if (!state.isRegistered()) {
                reply = notFound("slot " + slotId() + " not found, or you are not a member");
                return false;
            }
            return true;
        }

        private boolean requireOwner(Actor actor) {
            if (Access.mayAdminister(state.config(), actor)) {
                return true;
            }
            reply = forbidden("only an owner of slot " + slotId() + " may do that");
            return false;
        }

        private boolean mayUse(SlotConfig config, Actor actor) {
            return Access.mayUse(config, actor);
        }

        private Reply notFound(String message) {
            return notFoundFor(rid(), message);
        }

        private Reply notFoundFor(String requestId, String message) {
            return Reply.error(requestId, slotId(), 404, "slot_not_found", message);
        }

        private Reply forbidden(String message) {
            return Reply.error(rid(), slotId(), 403, "forbidden", message);
        }

        private Reply lockedReply(String requestId, String message) {
            LockView holder = state.liveHold(now).map(h -> LockView.forPublic(slotId(), h)).orElse(null);
            return new Reply(requestId, slotId(), 409, "locked", message, holder, null);
        }

        private void event(EventType type, Hold hold, Actor actor, String reason) {
            addEvent(type, new EventData(slotId(), hold.owner(), hold.principal(), hold.fence(), hold.expireAt(),
                    actor.principal(), reason));
        }

        private void slotEvent(EventType type, Actor actor) {
            addEvent(type, new EventData(slotId(), null, null, state.fence(), null, actor.principal(), null));
        }

        private void addEvent(EventType type, EventData data) {
            // Numbered by the slot's own event count, committed with the event: a retry or redelivery
            // of the same request makes new events with new ids, never a second content for an old id.
            long seq = state.eventSeq() + 1;
            state = state.withEventSeq(seq);
            changed = true;
            events.add(new LockEvent(SlotState.eventId(slotId(), seq), type, slotId(), now, data));
        }
    }
}
