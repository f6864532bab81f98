package io.mutexify.model.slot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A unit kept ungranted until {@code until} because the hold with {@code fence} lost it
 * involuntarily (lock-delay), so that holder can notice before the next one starts. {@code unit}
 * is null in a pool without named units, where the delay holds back one place of the capacity.
 */
public record DelayedUnit(@JsonInclude(JsonInclude.Include.NON_NULL) String unit, long fence, Instant until) {

    public boolean isActiveAt(Instant now) {
        return now.isBefore(until);
    }
}
