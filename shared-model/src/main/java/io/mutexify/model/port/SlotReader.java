package io.mutexify.model.port;

import io.mutexify.model.machine.Reply;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.SlotState;
import java.util.List;
import java.util.Optional;

/** The read side of the store, all the Frontface needs. */
public interface SlotReader {
    /** The slot's state, or {@link SlotState#empty} with version 0 if it was never written. */
    SlotState load(String slotId);

    /** Every slot ever written, registered or not, ordered by id. Reads the whole store: not for request paths. */
    List<SlotState> loadAll();

    /**
     * One page of the slot list, ordered by id: slots with an id after {@code afterId} ({@code ""}
     * for the first page), at most {@code limit}. With a {@code principal}, only the registered
     * slots naming it as an owner or member; with null, every slot ever written, registered or not.
     * A store answers from an index, so a page costs the same however many slots exist; this
     * default, for stores kept in memory, reads everything.
     */
    default List<SlotState> page(String principal, String afterId, int limit) {
        return loadAll().stream()
                .filter(s -> s.id().compareTo(afterId) > 0)
                .filter(s -> principal == null || (s.isRegistered() && s.config().isMember(principal)))
                .limit(limit)
                .toList();
    }

    /** How many registered slots name {@code principal} as an owner, counting no further than {@code upTo}. */
    default long countOwned(String principal, long upTo) {
        return Math.min(upTo, loadAll().stream()
                .filter(s -> s.isRegistered() && s.config().isOwner(principal))
                .count());
    }

    /** The slots with a hold (live, or ended by time but not yet by its expiry) of {@code principal}, ordered by id. */
    default List<SlotState> heldBy(String principal) {
        return loadAll().stream()
                .filter(s -> s.holds().stream().anyMatch(h -> principal.equals(h.principal())))
                .toList();
    }

    /** The recorded reply of a request, if it has one yet. */
    Optional<Reply> findReply(String requestId);

    /** Finished holds of a slot, newest first, at most {@code limit}. */
    List<HistoryEntry> history(String slotId, int limit);

    /** Whether the store answers at all (for readiness). */
    boolean isReachable();
}
