package io.mutexify.model.slot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Everything the Lockkeeper knows of one slot. {@code config} is null while the slot is not
 * registered (never was, or deleted); {@code fence} survives deletion so it never goes back.
 * {@code version} is the store's optimistic-concurrency version, 0 for a slot never written.
 * {@code eventSeq} counts the events the slot has produced; like the fence it never goes back, so
 * the event ids made from it ({@link #eventId}) are never reused, whatever request caused them.
 * {@code endedWaits} are the recent waiters that left the line unanswered by a grant, oldest first.
 *
 * <p>The holds of a pool, lowest fence first, are {@code hold} and then {@code otherHolds}, so a
 * slot with one holder is stored exactly as before pools existed. {@code delays} are the units
 * kept ungranted for a lock-delay.
 */
public record SlotState(
        String id,
        SlotConfig config,
        long fence,
        Hold hold,
        List<Waiter> waiters,
        long version,
        long eventSeq,
        List<EndedWait> endedWaits,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Hold> otherHolds,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<DelayedUnit> delays) {

    public SlotState {
        waiters = List.copyOf(waiters);
        // Stored before these fields existed: no events counted, no ended waits remembered, one holder.
        endedWaits = endedWaits == null ? List.of() : List.copyOf(endedWaits);
        otherHolds = otherHolds == null ? List.of() : List.copyOf(otherHolds);
        delays = delays == null ? List.of() : List.copyOf(delays);
    }

    /** A state of at most one hold and no lock-delay. */
    public SlotState(String id, SlotConfig config, long fence, Hold hold, List<Waiter> waiters, long version,
                     long eventSeq, List<EndedWait> endedWaits) {
        this(id, config, fence, hold, waiters, version, eventSeq, endedWaits, List.of(), List.of());
    }

    /** A state whose slot has produced no event yet and remembers no ended wait. */
    public SlotState(String id, SlotConfig config, long fence, Hold hold, List<Waiter> waiters, long version) {
        this(id, config, fence, hold, waiters, version, 0, List.of());
    }

    /**
     * The id of the slot's event number {@code seq}: {@code <slot id>#<seq>}. Neither slot ids nor
     * request ids contain {@code #}, so it cannot meet an id of another slot or of the older
     * {@code <request id>/<index>} form.
     */
    public static String eventId(String slotId, long seq) {
        return slotId + "#" + seq;
    }

    public static SlotState empty(String id) {
        return new SlotState(id, null, 0, null, List.of(), 0);
    }

    public boolean isRegistered() {
        return config != null;
    }

    /** Every hold, live or not yet ended by its expiry, lowest fence first. */
    public List<Hold> holds() {
        if (hold == null) {
            return otherHolds;
        }
        List<Hold> all = new ArrayList<>(otherHolds.size() + 1);
        all.add(hold);
        all.addAll(otherHolds);
        return all;
    }

    /** The holds still live at {@code now}, lowest fence first. */
    public List<Hold> liveHolds(Instant now) {
        return holds().stream().filter(h -> h.isLiveAt(now)).toList();
    }

    /** The live hold with the lowest fence: the only one of a slot with one holder. */
    public Optional<Hold> liveHold(Instant now) {
        return holds().stream().filter(h -> h.isLiveAt(now)).findFirst();
    }

    /** Lock-delays still running at {@code now}. */
    public List<DelayedUnit> delaysAt(Instant now) {
        return delays.stream().filter(d -> d.isActiveAt(now)).toList();
    }

    /** Waiters whose wait has not ended at {@code now}, oldest first. */
    public List<Waiter> waitingAt(Instant now) {
        return waiters.stream().filter(w -> w.isWaitingAt(now)).toList();
    }

    public SlotState withConfig(SlotConfig newConfig) {
        return new SlotState(id, newConfig, fence, hold, waiters, version, eventSeq, endedWaits, otherHolds, delays);
    }

    /** Replaces the only hold of a slot with one holder; use {@link #withHolds} for a pool. */
    public SlotState withHold(Hold newHold) {
        return withHolds(newHold == null ? List.of() : List.of(newHold));
    }

    /** The same slot holding exactly {@code newHolds}, kept in fence order. */
    public SlotState withHolds(List<Hold> newHolds) {
        List<Hold> sorted = newHolds.stream().sorted(Comparator.comparingLong(Hold::fence)).toList();
        Hold first = sorted.isEmpty() ? null : sorted.get(0);
        List<Hold> rest = sorted.isEmpty() ? List.of() : sorted.subList(1, sorted.size());
        return new SlotState(id, config, fence, first, waiters, version, eventSeq, endedWaits, rest, delays);
    }

    public SlotState withWaiters(List<Waiter> newWaiters) {
        return new SlotState(id, config, fence, hold, newWaiters, version, eventSeq, endedWaits, otherHolds, delays);
    }

    public SlotState withFence(long newFence) {
        return new SlotState(id, config, newFence, hold, waiters, version, eventSeq, endedWaits, otherHolds, delays);
    }

    public SlotState withVersion(long newVersion) {
        return new SlotState(id, config, fence, hold, waiters, newVersion, eventSeq, endedWaits, otherHolds, delays);
    }

    public SlotState withEventSeq(long newEventSeq) {
        return new SlotState(id, config, fence, hold, waiters, version, newEventSeq, endedWaits, otherHolds, delays);
    }

    public SlotState withEndedWaits(List<EndedWait> newEndedWaits) {
        return new SlotState(id, config, fence, hold, waiters, version, eventSeq, newEndedWaits, otherHolds, delays);
    }

    public SlotState withDelays(List<DelayedUnit> newDelays) {
        return new SlotState(id, config, fence, hold, waiters, version, eventSeq, endedWaits, otherHolds, newDelays);
    }

    /** The answer a request got when it left the line without the lock, if it is still remembered. */
    public Optional<EndedWait> endedWait(String requestId) {
        return endedWaits.stream().filter(e -> e.requestId().equals(requestId)).findFirst();
    }
}
