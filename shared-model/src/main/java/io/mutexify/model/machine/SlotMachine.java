package io.mutexify.model.machine;

import io.mutexify.model.command.Actor;
import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.command.SlotCommand.Break;
import io.mutexify.model.command.SlotCommand.CancelWait;
import io.mutexify.model.command.SlotCommand.CreateSlot;
import io.mutexify.model.command.SlotCommand.DeleteSlot;
import io.mutexify.model.command.SlotCommand.EndDelay;
import io.mutexify.model.command.SlotCommand.EndWait;
import io.mutexify.model.command.SlotCommand.Expire;
import io.mutexify.model.command.SlotCommand.Extend;
import io.mutexify.model.command.SlotCommand.Release;
import io.mutexify.model.command.SlotCommand.UpdateSlot;
import io.mutexify.model.event.EventType;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.event.LockEvent.EventData;
import io.mutexify.model.command.SlotSpec;
import io.mutexify.model.slot.Access;
import io.mutexify.model.slot.DelayedUnit;
import io.mutexify.model.slot.EndedWait;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.HistoryEntry.EndReason;
import io.mutexify.model.slot.Hold;
import io.mutexify.model.slot.LockView;
import io.mutexify.model.slot.Room;
import io.mutexify.model.slot.SlotConfig;
import io.mutexify.model.slot.SlotState;
import io.mutexify.model.slot.SlotView;
import io.mutexify.model.slot.Waiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The slot state machine: {@code (state, command, now, tokens) → outcome}. Pure: no I/O, no clock,
 * no randomness; the caller passes the time and the fresh tokens for the grants a command makes.
 *
 * <p>Every command first settles the slot at {@code now} (expired holds end, lock-delays that are
 * over end, waiters whose wait ended leave the line), then does its own work, then hands the room
 * it has to the waiters, oldest first. A slot is a pool of {@code capacity} places, optionally
 * named units; a slot with one place behaves as a plain lock.
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

    /**
     * Applies {@code command} to {@code state} at {@code now}; {@code freshToken} is used if a lock is
     * granted. Enough for a slot with one place, which grants at most once per command.
     */
    public Outcome apply(SlotState state, SlotCommand command, Instant now, String freshToken) {
        boolean[] used = {false};
        return apply(state, command, now, () -> {
            if (used[0]) {
                throw new IllegalStateException("this command grants more than once; pass a token supplier");
            }
            used[0] = true;
            return freshToken;
        });
    }

    /** Applies {@code command} to {@code state} at {@code now}, taking one token from {@code tokens} per grant. */
    public Outcome apply(SlotState state, SlotCommand command, Instant now, Supplier<String> tokens) {
        if (!state.id().equals(command.slotId())) {
            throw new IllegalArgumentException("command for " + command.slotId() + " applied to " + state.id());
        }
        Step step = new Step(state, command, now, tokens);
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
        } else if (command instanceof EndDelay c) {
            step.rearmEndDelay(c);
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
        private final Supplier<String> tokens;
        private SlotState state;
        private boolean changed;
        private Reply reply;
        private boolean refusedAsLocked;
        /** The unit a refused acquire asked for, so its answer names that unit's holder. */
        private String unitAsked;
        private final List<Reply> otherReplies = new ArrayList<>();
        private final List<LockEvent> events = new ArrayList<>();
        private final List<ScheduledCommand> timers = new ArrayList<>();
        private final List<HistoryEntry> history = new ArrayList<>();

        Step(SlotState state, SlotCommand command, Instant now, Supplier<String> tokens) {
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

        private String slotId() {
            return state.id();
        }

        private String rid() {
            return command.requestId();
        }

        /** Ends expired holds and lock-delays and drops waiters whose wait ended, as if their timers had run. */
        void settle() {
            for (Hold hold : state.holds()) {
                if (!hold.isLiveAt(now)) {
                    endHold(hold, EndReason.EXPIRED, hold.expireAt(), Actor.SYSTEM, "timeout");
                }
            }
            if (state.delaysAt(now).size() != state.delays().size()) {
                state = state.withDelays(state.delaysAt(now));
                changed = true;
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
            Optional<Hold> mine = state.holds().stream().filter(h -> h.id().equals(c.requestId())).findFirst();
            if (mine.isPresent()) {
                // This request was granted the lock it still holds: the same grant again, never a second one.
                reply = Reply.ok(rid(), slotId(), 200, LockView.forHolder(slotId(), mine.get()));
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
            if (c.unit() != null && (config == null || !config.units().contains(c.unit()))) {
                reply = Reply.error(rid(), slotId(), 400, "unknown_unit", config == null || !config.hasNamedUnits()
                        ? "slot " + slotId() + " has no named units"
                        : "slot " + slotId() + " has no unit " + c.unit() + "; its units are " + config.units());
                return;
            }
            if (config == null) {
                register(new SlotConfig(null, null, List.of(c.actor().principal()), List.of(),
                        policy.defaultTimeout(), policy.maxTimeout(), now, now), c.actor());
            }
            String owner = c.owner() != null ? c.owner() : c.actor().principal();
            Instant until = now.plusSeconds(c.waitSeconds());
            Waiter me = new Waiter(rid(), owner, c.actor().principal(), timeout, c.metadata(), now, until, c.unit());
            List<Waiter> line = new ArrayList<>(state.waiters());
            line.add(me);
            if (grantedInTurn(line, me)) {
                // Granted at the end of the line: whoever waits ahead and can use the room now gets it first.
                state = state.withWaiters(line);
                promote();
                reply = takeOtherReply(rid());
            } else if (c.waitSeconds() > 0) {
                state = state.withWaiters(line);
                changed = true;
                timers.add(new ScheduledCommand(until, EndWait.of(slotId(), rid(), until)));
            } else {
                unitAsked = c.unit();
                refusedAsLocked = true; // answered after promote(), so the reply names whoever holds it then
            }
        }

        /** Whether {@code me}, last in {@code line}, would be granted if the room were handed out now. */
        private boolean grantedInTurn(List<Waiter> line, Waiter me) {
            Room room = Room.of(state, now);
            for (Waiter w : line) {
                if (room.take(w.unit()).isPresent() && w == me) {
                    return true;
                }
            }
            return false;
        }

        private Reply takeOtherReply(String requestId) {
            for (int i = 0; i < otherReplies.size(); i++) {
                if (otherReplies.get(i).requestId().equals(requestId)) {
                    return otherReplies.remove(i);
                }
            }
            throw new IllegalStateException("no reply for " + requestId);
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
            state = state.withHolds(replaced(hold, extended));
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

        /** Breaks the hold named by lock id or unit, or every live hold; answers with the first one broken. */
        void breakLock(Break c) {
            if (!requireRegistered() || !requireOwner(c.actor())) {
                return;
            }
            List<Hold> targets = state.liveHolds(now).stream()
                    .filter(h -> c.lockId() == null || h.id().equals(c.lockId()))
                    .filter(h -> c.unit() == null || c.unit().equals(h.unit()))
                    .toList();
            if (targets.isEmpty()) {
                String what = c.unit() != null ? "unit " + c.unit() + " of slot " + slotId()
                        : c.lockId() != null ? "lock " + c.lockId() + " of slot " + slotId() : "slot " + slotId();
                reply = Reply.error(rid(), slotId(), 404, "not_held", what + " is not held");
                return;
            }
            for (Hold h : targets) {
                endHold(h, EndReason.BROKEN, now, c.actor(), c.reason() == null ? "broken" : c.reason());
            }
            reply = Reply.ok(rid(), slotId(), 200, LockView.forPublic(slotId(), targets.get(0)));
        }

        void create(CreateSlot c) {
            if (state.isRegistered()) {
                reply = Reply.error(rid(), slotId(), 409, "slot_exists", "slot " + slotId() + " already exists");
                return;
            }
            var spec = c.spec();
            if (invalidSpec(spec)) {
                return;
            }
            List<String> owners = spec.owners() != null ? spec.owners() : List.of(c.actor().principal());
            List<String> units = spec.units() != null ? spec.units() : List.of();
            SlotConfig config = new SlotConfig(spec.name(), spec.description(), owners,
                    spec.members() != null ? spec.members() : List.of(),
                    spec.defaultTimeout() != null ? spec.defaultTimeout() : Math.min(policy.defaultTimeout(),
                            spec.maxTimeout() != null ? spec.maxTimeout() : policy.maxTimeout()),
                    spec.maxTimeout() != null ? spec.maxTimeout() : policy.maxTimeout(), now, now,
                    spec.capacity() != null ? spec.capacity() : units.isEmpty() ? 1 : units.size(),
                    units, spec.lockDelay() != null ? spec.lockDelay() : 0);
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
            if (invalidSpec(p)) {
                return;
            }
            List<String> units = p.units() != null ? p.units() : old.units();
            // New unit names bring their count as capacity; dropping the names keeps the number of places.
            int capacity = p.capacity() != null ? p.capacity()
                    : p.units() != null && !units.isEmpty() ? units.size() : old.capacity();
            SlotConfig config = new SlotConfig(
                    p.name() != null ? p.name() : old.name(),
                    p.description() != null ? p.description() : old.description(),
                    p.owners() != null ? p.owners() : old.owners(),
                    p.members() != null ? p.members() : old.members(),
                    p.defaultTimeout() != null ? p.defaultTimeout() : old.defaultTimeout(),
                    p.maxTimeout() != null ? p.maxTimeout() : old.maxTimeout(),
                    old.createdAt(), now, capacity, units,
                    p.lockDelay() != null ? p.lockDelay() : old.lockDelay());
            if (invalidConfig(config)) {
                return;
            }
            // A lower capacity revokes nothing: live holds run their course, and no grant is made until under it.
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
            if (state.holds().stream().anyMatch(h -> h.fence() == c.fence() && h.expireAt().equals(c.at()))) {
                timers.add(new ScheduledCommand(c.at(), c));
            }
        }

        /** settle() already ended the lock-delay if it was over; a timer that fired early is armed again. */
        void rearmEndDelay(EndDelay c) {
            if (state.delays().stream().anyMatch(d -> d.fence() == c.fence() && d.until().equals(c.at()))) {
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

        /**
         * Hands the room a registered slot has to its waiters, oldest first. A waiter for a unit that
         * is taken lets younger waiters for other units pass, but never one that wants the same room.
         */
        void promote() {
            if (state.waiters().isEmpty() || !state.isRegistered()) {
                return;
            }
            Room room = Room.of(state, now);
            if (room.spare() == 0) {
                return;
            }
            for (Waiter w : state.waiters()) {
                Optional<Room.Seat> seat = room.take(w.unit());
                if (seat.isEmpty()) {
                    continue;
                }
                state = state.withWaiters(state.waiters().stream().filter(x -> x != w).toList());
                Hold granted = grant(w.requestId(), w.owner(), w.principal(), w.timeout(), w.metadata(), seat.get().unit());
                otherReplies.add(Reply.ok(w.requestId(), slotId(), 200, LockView.forHolder(slotId(), granted)));
            }
        }

        void finishRefusal() {
            if (refusedAsLocked) {
                reply = lockedReply(rid(), refusalMessage());
            }
        }

        private String refusalMessage() {
            boolean delayed = state.delaysAt(now).stream()
                    .anyMatch(d -> unitAsked == null ? state.liveHolds(now).isEmpty() : unitAsked.equals(d.unit()));
            if (delayed) {
                return (unitAsked != null ? "unit " + unitAsked + " of slot " : "slot ") + slotId()
                        + " is in its lock-delay after a hold ended involuntarily";
            }
            if (unitAsked != null) {
                return "unit " + unitAsked + " of slot " + slotId() + " is not free";
            }
            return state.config() != null && state.config().capacity() > 1
                    ? "every unit of slot " + slotId() + " is taken"
                    : "slot " + slotId() + " is held by another";
        }

        private Hold grant(String lockId, String owner, String principal, int timeout, List<String> metadata, String unit) {
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

        private void endHold(Hold hold, EndReason why, Instant endedAt, Actor actor, String reason) {
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
        private void delayAfter(Hold hold, Instant endedAt) {
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
        private List<Hold> replaced(Hold old, Hold replacement) {
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

        private boolean invalidSpec(SlotSpec spec) {
            String problem = SlotRules.specProblem(spec);
            if (problem != null) {
                reply = Reply.error(rid(), slotId(), 400, "invalid_slot", problem);
                return true;
            }
            return false;
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
            Optional<Hold> live = state.liveHolds(now).stream().filter(h -> h.token().equals(token)).findFirst();
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
            LockView holder = state.liveHolds(now).stream()
                    .filter(h -> unitAsked == null || unitAsked.equals(h.unit()))
                    .findFirst()
                    .map(h -> LockView.forPublic(slotId(), h)).orElse(null);
            return new Reply(requestId, slotId(), 409, "locked", message, holder, null);
        }

        private void event(EventType type, Hold hold, Actor actor, String reason) {
            addEvent(type, new EventData(slotId(), hold.owner(), hold.principal(), hold.fence(), hold.expireAt(),
                    actor.principal(), reason, hold.unit()));
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
