package io.mutexify.model.slot;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the Lockkeeper knows of one slot. {@code config} is null while the slot is not
 * registered (never was, or deleted); {@code fence} survives deletion so it never goes back.
 * {@code version} is the store's optimistic-concurrency version, 0 for a slot never written.
 */
public record SlotState(
        String id,
        SlotConfig config,
        long fence,
        Hold hold,
        List<Waiter> waiters,
        long version) {

    public SlotState {
        waiters = List.copyOf(waiters);
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
        return new SlotState(id, newConfig, fence, hold, waiters, version);
    }

    public SlotState withHold(Hold newHold) {
        return new SlotState(id, config, fence, newHold, waiters, version);
    }

    public SlotState withWaiters(List<Waiter> newWaiters) {
        return new SlotState(id, config, fence, hold, newWaiters, version);
    }

    public SlotState withFence(long newFence) {
        return new SlotState(id, config, newFence, hold, waiters, version);
    }

    public SlotState withVersion(long newVersion) {
        return new SlotState(id, config, fence, hold, waiters, newVersion);
    }
}
