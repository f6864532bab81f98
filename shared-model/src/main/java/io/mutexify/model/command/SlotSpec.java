package io.mutexify.model.command;

import java.util.List;

/** The fields of a slot registration as a client sends them; null means "not given". */
public record SlotSpec(
        String name,
        String description,
        List<String> owners,
        List<String> members,
        Integer defaultTimeout,
        Integer maxTimeout) {

    public static SlotSpec none() {
        return new SlotSpec(null, null, null, null, null, null);
    }
}
