package io.mutexify.model.event;

/** The CloudEvents types Mutexify publishes. */
public enum EventType {
    LOCK_ACQUIRED("io.mutexify.lock.acquired"),
    LOCK_EXTENDED("io.mutexify.lock.extended"),
    LOCK_RELEASED("io.mutexify.lock.released"),
    LOCK_EXPIRED("io.mutexify.lock.expired"),
    LOCK_BROKEN("io.mutexify.lock.broken"),
    SLOT_CREATED("io.mutexify.slot.created"),
    SLOT_UPDATED("io.mutexify.slot.updated"),
    SLOT_DELETED("io.mutexify.slot.deleted");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
