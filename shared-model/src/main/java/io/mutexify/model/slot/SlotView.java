package io.mutexify.model.slot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** A slot as the API shows it at a given moment: registration, state, public lock and waiters. */
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
        List<WaiterView> waiters) {

    /** A waiter as others see it. */
    public record WaiterView(String owner, String principal, Instant since, Instant waitUntil) {
    }

    /** The same view carrying {@code newVersion}, the version the slot is stored with. */
    public SlotView withVersion(long newVersion) {
        return new SlotView(id, name, description, owners, members, defaultTimeout, maxTimeout, createdAt, updatedAt,
                fence, newVersion, state, lock, waiting, waiters);
    }

    /** The view of a registered slot at {@code now}: an expired hold shows as free. */
    public static SlotView of(SlotState state, Instant now) {
        SlotConfig c = state.config();
        if (c == null) {
            throw new IllegalArgumentException("slot " + state.id() + " is not registered");
        }
        LockView lock = state.liveHold(now).map(h -> LockView.forPublic(state.id(), h)).orElse(null);
        List<WaiterView> waiters = state.waitingAt(now).stream()
                .map(w -> new WaiterView(w.owner(), w.principal(), w.enqueuedAt(), w.waitUntil()))
                .toList();
        return new SlotView(state.id(), c.name(), c.description(), c.owners(), c.members(), c.defaultTimeout(),
                c.maxTimeout(), c.createdAt(), c.updatedAt(), state.fence(), state.version(),
                lock == null ? "free" : "held", lock, waiters.size(), waiters);
    }
}
