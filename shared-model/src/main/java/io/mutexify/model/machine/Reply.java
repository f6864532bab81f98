package io.mutexify.model.machine;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mutexify.model.slot.LockView;
import io.mutexify.model.slot.SlotView;

/**
 * The answer to one client command, as an HTTP status and at most one body part: an error
 * ({@code error}, {@code message}, and for "locked" the holder's public {@code lock}), a lock, or a slot.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reply(
        String requestId,
        String slotId,
        int status,
        String error,
        String message,
        LockView lock,
        SlotView slot) {

    public static Reply ok(String requestId, String slotId, int status, LockView lock) {
        return new Reply(requestId, slotId, status, null, null, lock, null);
    }

    public static Reply slot(String requestId, int status, SlotView slot) {
        return new Reply(requestId, slot.id(), status, null, null, null, slot);
    }

    public static Reply noContent(String requestId, String slotId) {
        return new Reply(requestId, slotId, 204, null, null, null, null);
    }

    public static Reply error(String requestId, String slotId, int status, String error, String message) {
        return new Reply(requestId, slotId, status, error, message, null, null);
    }

    /**
     * The answer to a command whose change could not be stored (see
     * {@link io.mutexify.model.port.StoreUnavailableException}): never recorded, so a retry under the
     * same request id is applied afresh, or answered from the store if the change did commit.
     */
    public static Reply storeUnavailable(String requestId, String slotId) {
        return error(requestId, slotId, 503, "store_unavailable",
                "the change could not be stored, so it was not acknowledged; retry shortly with the same Idempotency-Key");
    }

    /**
     * The answer to a client command that kept failing and was given up on (dead-lettered): it was not
     * carried out, so its caller is told to retry rather than left waiting.
     */
    public static Reply commandFailed(String requestId, String slotId) {
        return error(requestId, slotId, 503, "command_failed",
                "the command could not be applied; it was not carried out, retry later");
    }

    public Reply withSlot(SlotView newSlot) {
        return new Reply(requestId, slotId, status, error, message, lock, newSlot);
    }

    public boolean isError() {
        return error != null;
    }
}
