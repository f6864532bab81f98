package io.mutexify.model.command;

import java.util.List;

/**
 * The fields of a slot registration as a client sends them; null means "not given". An empty
 * {@code units} list removes a pool's unit names.
 */
public record SlotSpec(
        String name,
        String description,
        List<String> owners,
        List<String> members,
        Integer defaultTimeout,
        Integer maxTimeout,
        Integer capacity,
        List<String> units,
        Integer lockDelay) {

    public SlotSpec {
        units = units == null ? null : List.copyOf(units);
    }

    /** A spec that leaves capacity, units and lock-delay as they are. */
    public SlotSpec(String name, String description, List<String> owners, List<String> members,
                    Integer defaultTimeout, Integer maxTimeout) {
        this(name, description, owners, members, defaultTimeout, maxTimeout, null, null, null);
    }

    public static SlotSpec none() {
        return new SlotSpec(null, null, null, null, null, null);
    }
}
