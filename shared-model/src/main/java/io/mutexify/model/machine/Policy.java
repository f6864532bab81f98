package io.mutexify.model.machine;

import io.mutexify.model.slot.Limits;

/** Service-wide rules the state machine follows: auto-registration and the timeouts new slots get. */
public record Policy(boolean autoRegister, int defaultTimeout, int maxTimeout) {
    public static Policy defaults() {
        return new Policy(true, Limits.DEFAULT_TIMEOUT, Limits.DEFAULT_MAX_TIMEOUT);
    }
}
