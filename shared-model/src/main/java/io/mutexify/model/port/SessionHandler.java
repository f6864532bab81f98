package io.mutexify.model.port;

import io.mutexify.model.command.SlotCommand;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

    /**
     * Whether {@link #handleAsync} returns without waiting for a commit or another thread (it hands
     * its write over and finishes later; a read of the store is all it may wait for), so a queue may
     * run it on whatever thread sends the command or completes the previous batch instead of handing
     * it to a worker. False unless a handler says so.
     */
    default boolean handsOffWithoutBlocking() {
        return false;
    }

    /**
     * As {@link #handle(String, List, boolean)}, but may finish after it returns: the stage completes
     * when the batch is done (committed and answered), or fails to have the batch delivered again.
     * The session stays with this handler until then. The default runs {@code handle} on this thread.
     */
    default CompletionStage<Void> handleAsync(String slotId, List<SlotCommand> batch, boolean firstDelivery) {
        try {
            handle(slotId, batch, firstDelivery);
            return CompletableFuture.completedFuture(null);
        } catch (Exception | Error e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
