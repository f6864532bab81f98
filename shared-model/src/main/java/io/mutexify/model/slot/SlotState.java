package io.mutexify.model.slot;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the Lockkeeper knows of one slot. {@code config} is null while the slot is not
 * registered (never was, or deleted); {@code fence} survives deletion so it never goes back.
 * {@code version} is the store's optimistic-concurrency version, 0 for a slot never written.
 * {@code eventSeq} counts the events the slot has produced; like the fence it never goes back, so
 * the event ids made from it ({@link #eventId}) are never reused, whatever request caused them.
 * {@code endedWaits} are the recent waiters that left the line unanswered by a grant, oldest first.
 */
public record SlotState(
        String id,
        SlotConfig config,
        long fence,
        Hold hold,
        List<Waiter> waiters,
        long version,
        long eventSeq,
        List<EndedWait> endedWaits) {

    public SlotState {
        waiters = List.copyOf(waiters);
        // Stored before these fields existed: no events counted, no ended waits remembered.
        endedWaits = endedWaits == null ? List.of() : List.copyOf(endedWaits);
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

    /** The hold if it is still live at {@code now}. */
    public Optional<Hold> liveHold(Instant now) {
        return hold != null && hold.isLiveAt(now) ? Optional.of(hold) : Optional.empty();
    }

    /** Waiters whose wait has not ended at {@code now}, oldest first. */
    public List<Waiter> waitingAt(Instant now) {
        return waiters.stream().filter(w -> w.isWaitingAt(now)).toList();
    }

    public SlotState withConfig(SlotConfig newConfig) {
        return new SlotState(id, newConfig, fence, hold, waiters, version, eventSeq, endedWaits);
    }

    public SlotState withHold(Hold newHold) {
        return new SlotState(id, config, fence, newHold, waiters, version, eventSeq, endedWaits);
    }

    public SlotState withWaiters(List<Waiter> newWaiters) {
        return new SlotState(id, config, fence, hold, newWaiters, version, eventSeq, endedWaits);
    }

    public SlotState withFence(long newFence) {
        return new SlotState(id, config, newFence, hold, waiters, version, eventSeq, endedWaits);
    }

    public SlotState withVersion(long newVersion) {
        return new SlotState(id, config, fence, hold, waiters, newVersion, eventSeq, endedWaits);
    }

    public SlotState withEventSeq(long newEventSeq) {
        return new SlotState(id, config, fence, hold, waiters, version, newEventSeq, endedWaits);
    }

    public SlotState withEndedWaits(List<EndedWait> newEndedWaits) {
        return new SlotState(id, config, fence, hold, waiters, version, eventSeq, newEndedWaits);
    }

    /** The answer a request got when it left the line without the lock, if it is still remembered. */
    public Optional<EndedWait> endedWait(String requestId) {
        return endedWaits.stream().filter(e -> e.requestId().equals(requestId)).findFirst();
    }
}
