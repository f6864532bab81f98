package io.mutexify.frontface.watch;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Long-poll support: completes when a slot (or any slot) changes after a known index, or at the timeout. */
public interface SlotWatch {
    /** Completes once {@code slotId}'s version exceeds {@code index}, or after {@code max}; never fails. */
    CompletableFuture<Void> awaitSlot(String slotId, long index, Duration max);

    /** Completes once any slot changed after the global {@code index}, or after {@code max}; never fails. */
    CompletableFuture<Void> awaitAny(long index, Duration max);

    /** The current global change index, for {@code GET /api/v1/slots}. */
    long globalIndex();
}
