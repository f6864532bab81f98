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

    /** Every slot ever written, registered or not, ordered by id. */
    List<SlotState> loadAll();

    /** The recorded reply of a request, if it has one yet. */
    Optional<Reply> findReply(String requestId);

    /** Finished holds of a slot, newest first, at most {@code limit}. */
    List<HistoryEntry> history(String slotId, int limit);

    /** Whether the store answers at all (for readiness). */
    boolean isReachable();
}
