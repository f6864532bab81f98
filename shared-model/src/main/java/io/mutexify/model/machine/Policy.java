package io.mutexify.model.machine;

import io.mutexify.model.slot.Limits;
import java.time.Duration;

/**
 * Service-wide rules the state machine follows: auto-registration, the timeouts new slots get, and
 * {@code pollGrace}, how long after its last poll's call ended a long wait stays in line unpolled.
 */
public record Policy(boolean autoRegister, int defaultTimeout, int maxTimeout, Duration pollGrace) {
    /** How long a long wait may go unpolled, unless configured otherwise. */
    public static final Duration DEFAULT_POLL_GRACE = Duration.ofSeconds(30);
    /** The longest poll grace a setting may ask for. */
    public static final int MAX_POLL_GRACE_SECONDS = 3600;

    public Policy {
        if (pollGrace == null || pollGrace.isNegative() || pollGrace.isZero()) {
            throw new IllegalArgumentException("pollGrace must be positive");
        }
    }

    /** The default poll grace. */
    public Policy(boolean autoRegister, int defaultTimeout, int maxTimeout) {
        this(autoRegister, defaultTimeout, maxTimeout, DEFAULT_POLL_GRACE);
    }

    public static Policy defaults() {
        return new Policy(true, Limits.DEFAULT_TIMEOUT, Limits.DEFAULT_MAX_TIMEOUT);
    }

    public Policy withPollGrace(Duration grace) {
        return new Policy(autoRegister, defaultTimeout, maxTimeout, grace);
    }
}
