package io.mutexify.model.port;

import io.mutexify.model.command.SlotCommand;
import java.util.List;

/** The consumer of one slot's session: handles a batch of that slot's commands in order. */
public interface SessionHandler {
    /** Throws to have the whole batch delivered again. */
    void handle(String slotId, List<SlotCommand> batch) throws Exception;

    /**
     * As {@link #handle(String, List)}, told whether this is the batch's first delivery (none of its
     * commands reached a handler before). A queue that cannot tell calls the two-argument form.
     */
    default void handle(String slotId, List<SlotCommand> batch, boolean firstDelivery) throws Exception {
        handle(slotId, batch);
    }
}
