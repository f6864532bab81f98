package io.mutexify.model.slot;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a slot can still grant at one moment: how many places are spare and, in a pool of named
 * units, which units are free. A slot over its capacity (after the capacity was lowered) has no
 * spare place until enough holds end; a unit under lock-delay is not free.
 */
public final class Room {
    private int spare;
    private final boolean named;
    private final Set<String> freeUnits;

    private Room(int spare, boolean named, Set<String> freeUnits) {
        this.spare = Math.max(0, spare);
        this.named = named;
        this.freeUnits = freeUnits;
    }

    /** A place that was taken: the unit it names, null in a pool without named units. */
    public record Seat(String unit) {
    }

    /** The room of {@code state} at {@code now}; an unregistered slot has room for one. */
    public static Room of(SlotState state, Instant now) {
        SlotConfig c = state.config();
        int capacity = c == null ? 1 : c.capacity();
        int live = state.liveHolds(now).size();
        if (c == null || !c.hasNamedUnits()) {
            return new Room(capacity - live - state.delaysAt(now).size(), false, Set.of());
        }
        Set<String> free = new LinkedHashSet<>(c.units());
        state.liveHolds(now).forEach(h -> free.remove(h.unit()));
        state.delaysAt(now).forEach(d -> free.remove(d.unit()));
        return new Room(Math.min(capacity - live, free.size()), true, free);
    }

    /** How many more holds could be granted now. */
    public int spare() {
        return spare;
    }

    /** Takes a place for a request of {@code wanted} (a unit name, or null for any), if there is one. */
    public Optional<Seat> take(String wanted) {
        if (spare == 0) {
            return Optional.empty();
        }
        if (!named) {
            if (wanted != null) {
                return Optional.empty();
            }
            spare--;
            return Optional.of(new Seat(null));
        }
        String unit = wanted != null ? wanted : freeUnits.iterator().next();
        if (!freeUnits.remove(unit)) {
            return Optional.empty();
        }
        spare--;
        return Optional.of(new Seat(unit));
    }
}
