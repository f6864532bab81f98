package io.mutexify.model.slot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A slot as the API shows it at a given moment: registration, state, public locks and waiters.
 * {@code holds} lists every live hold, lowest fence first; {@code lock} is the first of them, as a
 * slot with one holder has always shown it. {@code available} is how many more may be granted now.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SlotView(
        String id,
        String name,
        String description,
        List<String> owners,
        List<String> members,
        int defaultTimeout,
        int maxTimeout,
        Instant createdAt,
        Instant updatedAt,
        long fence,
        long version,
        String state,
        LockView lock,
        int waiting,
        List<WaiterView> waiters,
        int capacity,
        List<String> units,
        int lockDelay,
        List<LockView> holds,
        int available) {

    /** A waiter as others see it; {@code unit} is the unit it asked for, absent for any. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WaiterView(String owner, String principal, Instant since, Instant waitUntil, String unit) {
    }

    /** The same view carrying {@code newVersion}, the version the slot is stored with. */
    public SlotView withVersion(long newVersion) {
        return new SlotView(id, name, description, owners, members, defaultTimeout, maxTimeout, createdAt, updatedAt,
                fence, newVersion, state, lock, waiting, waiters, capacity, units, lockDelay, holds, available);
    }

    /** The view of a registered slot at {@code now}: an expired hold shows as free. */
    public static SlotView of(SlotState state, Instant now) {
        SlotConfig c = state.config();
        if (c == null) {
            throw new IllegalArgumentException("slot " + state.id() + " is not registered");
        }
        List<LockView> holds = state.liveHolds(now).stream().map(h -> LockView.forPublic(state.id(), h)).toList();
        LockView lock = holds.isEmpty() ? null : holds.get(0);
        List<WaiterView> waiters = state.waitingAt(now).stream()
                .map(w -> new WaiterView(w.owner(), w.principal(), w.enqueuedAt(), w.waitUntil(), w.unit()))
                .toList();
        return new SlotView(state.id(), c.name(), c.description(), c.owners(), c.members(), c.defaultTimeout(),
                c.maxTimeout(), c.createdAt(), c.updatedAt(), state.fence(), state.version(),
                lock == null ? "free" : "held", lock, waiters.size(), waiters,
                c.capacity(), c.hasNamedUnits() ? c.units() : null, c.lockDelay(), holds,
                Room.of(state, now).spare());
    }
}
