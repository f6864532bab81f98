package io.mutexify.model.machine;

import io.mutexify.model.slot.Limits;
import io.mutexify.model.slot.SlotConfig;

/** Consistency rules for a slot's registration, shared by create and update. */
final class SlotRules {
    private SlotRules() {
    }

    /** Returns what is wrong with {@code c}, or null. */
    static String problem(SlotConfig c) {
        if (c.maxTimeout() < 1 || c.maxTimeout() > Limits.MAX_TIMEOUT_CEILING) {
            return "maxTimeout must be an integer from 1 to " + Limits.MAX_TIMEOUT_CEILING;
        }
        if (c.defaultTimeout() < 1 || c.defaultTimeout() > c.maxTimeout()) {
            return "defaultTimeout must be an integer from 1 to maxTimeout (" + c.maxTimeout() + ")";
        }
        if (c.owners().isEmpty()) {
            return "a slot needs at least one owner";
        }
        return null;
    }
}
