package io.mutexify.model.slot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A waiter that left the line without the lock (its wait ended, it was cancelled, the slot was
 * deleted) and the answer it was given, kept a while so a retry of that request gets the same
 * answer instead of being taken for a new acquire.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndedWait(String requestId, int status, String error, String message, LockView lock, Instant at) {
}
