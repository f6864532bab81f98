package io.mutexify.embedded.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the store holds after the run, in the checker's own terms (so a fabricated one is easy to write).
 *
 * @param slots   every slot of the run by id
 * @param replies the stored reply of each operation's request id that has one
 * @param outbox  outbox entries still in the store, as the CloudEvents they are published as
 */
public record StoreSnapshot(Map<String, Slot> slots, Map<String, Attempt> replies, List<JsonNode> outbox) {

    /**
     * One slot.
     *
     * @param fence   the slot's fence counter
     * @param current its hold, or null
     * @param history its finished holds in commit order (oldest first)
     */
    public record Slot(String id, boolean registered, long fence, Hold current, List<Ended> history) {
    }

    /** The hold a slot has now. */
    public record Hold(long fence, String owner, String token, Instant expireAt) {
    }

    /** A finished hold; {@code reason} is released, expired or broken. */
    public record Ended(long fence, String owner, Instant acquiredAt, Instant endedAt, String reason) {
    }
}
