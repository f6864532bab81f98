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
        Integer maxTimeout) {

    /** A slot with this id and the server's defaults. */
    public static SlotSpec of(String id) {
        return new SlotSpec(id, null, null, null, null, null, null);
    }

    public SlotSpec withName(String newName) {
        return new SlotSpec(id, newName, description, owners, members, defaultTimeout, maxTimeout);
    }

    public SlotSpec withDescription(String newDescription) {
        return new SlotSpec(id, name, newDescription, owners, members, defaultTimeout, maxTimeout);
    }

    public SlotSpec withOwners(List<String> newOwners) {
        return new SlotSpec(id, name, description, List.copyOf(newOwners), members, defaultTimeout, maxTimeout);
    }

    public SlotSpec withMembers(List<String> newMembers) {
        return new SlotSpec(id, name, description, owners, List.copyOf(newMembers), defaultTimeout, maxTimeout);
    }

    /** The lock timeout for acquires that name none; whole seconds, rounded up. */
    public SlotSpec withDefaultTimeout(Duration timeout) {
        return new SlotSpec(id, name, description, owners, members, Wire.seconds(timeout, "defaultTimeout"), maxTimeout);
    }

    /** The longest lock timeout; whole seconds, rounded up. */
    public SlotSpec withMaxTimeout(Duration timeout) {
        return new SlotSpec(id, name, description, owners, members, defaultTimeout, Wire.seconds(timeout, "maxTimeout"));
    }
}
