package io.mutexify.model.slot;

import java.time.Instant;
import java.util.List;

/** What a slot's owners registered: its name, who may use it and how long a lock may last. */
public record SlotConfig(
        String name,
        String description,
        List<String> owners,
        List<String> members,
        int defaultTimeout,
        int maxTimeout,
        Instant createdAt,
        Instant updatedAt) {

    public SlotConfig {
        owners = List.copyOf(owners);
        members = List.copyOf(members);
    }

    public boolean isOwner(String principal) {
        return owners.contains(principal);
    }

    public boolean isMember(String principal) {
        return members.contains(principal) || owners.contains(principal);
    }
}
