package io.mutexify.model.event;

import java.time.Instant;

/**
 * A change to a slot, for subscribers. {@code id} is {@code <slot id>#<n>}, the slot's n-th event,
 * fixed when the change is committed and sent unchanged on every redelivery; no two events share
 * one. Adapters wrap it as a CloudEvent 1.0.
 */
public record LockEvent(String id, EventType type, String slotId, Instant time, EventData data) {

    /** The payload: which slot, whose lock, which fence and unit, until when, who acted and why. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record EventData(String slot, String owner, String principal, Long fence, Instant expireAt,
                            String actor, String reason, String unit) {

        /** The payload of a change that concerns no named unit. */
        public EventData(String slot, String owner, String principal, Long fence, Instant expireAt,
                         String actor, String reason) {
            this(slot, owner, principal, fence, expireAt, actor, reason, null);
        }
    }

    public String source() {
        return "/slots/" + slotId;
    }
}
