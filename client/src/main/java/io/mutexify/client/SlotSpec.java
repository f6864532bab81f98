package io.mutexify.client;

import java.time.Duration;
import java.util.List;

/**
 * What to register with {@link MutexifyClient#createSlot}: an id and optional settings. Null
 * settings take the server's defaults (the caller becomes the only owner; everyone may lock it).
 * Build one with {@link #of(String)} and the {@code with…} methods.
 */
public record SlotSpec(
        String id,
        String name,
        String description,
        List<String> owners,
        List<String> members,
        Integer defaultTimeout,
        Integer maxTimeout,
        Integer capacity,
        List<String> units,
        Integer lockDelay) {

    /** A plain slot (one holder at a time) with these settings. */
    public SlotSpec(String id, String name, String description, List<String> owners, List<String> members,
                    Integer defaultTimeout, Integer maxTimeout) {
        this(id, name, description, owners, members, defaultTimeout, maxTimeout, null, null, null);
    }

    /** A slot with this id and the server's defaults. */
    public static SlotSpec of(String id) {
        return new SlotSpec(id, null, null, null, null, null, null);
    }

    /** A pool: up to {@code newCapacity} holders at once. */
    public SlotSpec withCapacity(int newCapacity) {
        return new SlotSpec(id, name, description, owners, members, defaultTimeout, maxTimeout, newCapacity, units,
                lockDelay);
    }

    /** A pool of named units; each grant names the unit it got, and the capacity is their count. */
    public SlotSpec withUnits(List<String> newUnits) {
        return new SlotSpec(id, name, description, owners, members, defaultTimeout, maxTimeout, capacity,
                List.copyOf(newUnits), lockDelay);
    }

    /** How long a unit stays ungranted after a hold of it expired or was broken; whole seconds, rounded up. */
    public SlotSpec withLockDelay(Duration delay) {
        return new SlotSpec(id, name, description, owners, members, defaultTimeout, maxTimeout, capacity, units,
                delay.isZero() ? 0 : Wire.seconds(delay, "lockDelay"));
    }

    public SlotSpec withName(String newName) {
        return new SlotSpec(id, newName, description, owners, members, defaultTimeout, maxTimeout, capacity, units,
                lockDelay);
    }

    public SlotSpec withDescription(String newDescription) {
        return new SlotSpec(id, name, newDescription, owners, members, defaultTimeout, maxTimeout, capacity, units,
                lockDelay);
    }

    public SlotSpec withOwners(List<String> newOwners) {
        return new SlotSpec(id, name, description, List.copyOf(newOwners), members, defaultTimeout, maxTimeout, capacity, units,
                lockDelay);
    }

    public SlotSpec withMembers(List<String> newMembers) {
        return new SlotSpec(id, name, description, owners, List.copyOf(newMembers), defaultTimeout, maxTimeout, capacity, units,
                lockDelay);
    }

    /** The lock timeout for acquires that name none; whole seconds, rounded up. */
    public SlotSpec withDefaultTimeout(Duration timeout) {
        return new SlotSpec(id, name, description, owners, members, Wire.seconds(timeout, "defaultTimeout"), maxTimeout,
                capacity, units, lockDelay);
    }

    /** The longest lock timeout; whole seconds, rounded up. */
    public SlotSpec withMaxTimeout(Duration timeout) {
        return new SlotSpec(id, name, description, owners, members, defaultTimeout, Wire.seconds(timeout, "maxTimeout"),
                capacity, units, lockDelay);
    }
}
