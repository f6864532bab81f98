package io.mutexify.model.slot;

import java.time.Instant;
import java.util.List;

/**
 * What a slot's owners registered: its name, who may use it, how long a lock may last, and how many
 * may hold it at once: {@code capacity} holds, of the named {@code units} when there are any
 * (capacity is then their count). {@code lockDelay} seconds keep a unit ungranted after a hold of
 * it ended involuntarily.
 */
public record SlotConfig(
        String name,
        String description,
        List<String> owners,
        List<String> members,
        int defaultTimeout,
        int maxTimeout,
        Instant createdAt,
        Instant updatedAt,
        int capacity,
        List<String> units,
        int lockDelay) {

    public SlotConfig {
        owners = List.copyOf(owners);
        members = List.copyOf(members);
        units = units == null ? List.of() : List.copyOf(units);
        // 0 is a slot stored before pools existed: one holder.
        if (capacity == 0) {
            capacity = units.isEmpty() ? 1 : units.size();
        }
    }

    /** A slot for one holder at a time, with no lock-delay. */
    public SlotConfig(String name, String description, List<String> owners, List<String> members,
                      int defaultTimeout, int maxTimeout, Instant createdAt, Instant updatedAt) {
        this(name, description, owners, members, defaultTimeout, maxTimeout, createdAt, updatedAt, 1, List.of(), 0);
    }

    /** Whether its holds name the unit they hold. */
    public boolean hasNamedUnits() {
        return !units.isEmpty();
    }

    public boolean isOwner(String principal) {
        return owners.contains(principal);
    }

    public boolean isMember(String principal) {
        return members.contains(principal) || owners.contains(principal);
    }
}
