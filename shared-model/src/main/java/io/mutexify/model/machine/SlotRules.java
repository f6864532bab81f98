package io.mutexify.model.machine;

import io.mutexify.model.command.SlotSpec;
import io.mutexify.model.slot.Limits;
import io.mutexify.model.slot.SlotConfig;
import java.util.HashSet;
import java.util.regex.Pattern;

/** Consistency rules for a slot's registration, shared by create and update. */
final class SlotRules {
    /** Unit names follow the slot id alphabet, so they are safe in URLs, headers and environment values. */
    private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9._:-]{1," + Limits.MAX_UNIT_CHARS + "}");

    private SlotRules() {
    }

    /** Returns what is wrong with the pool fields of {@code spec} as given, or null. */
    static String specProblem(SlotSpec spec) {
        if (spec.capacity() != null && (spec.capacity() < 1 || spec.capacity() > Limits.MAX_CAPACITY)) {
            return "capacity must be an integer from 1 to " + Limits.MAX_CAPACITY;
        }
        if (spec.lockDelay() != null && (spec.lockDelay() < 0 || spec.lockDelay() > Limits.MAX_LOCK_DELAY)) {
            return "lockDelay must be an integer from 0 to " + Limits.MAX_LOCK_DELAY + " seconds";
        }
        return null;
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
        if (c.units().size() > Limits.MAX_CAPACITY) {
            return "a slot may list at most " + Limits.MAX_CAPACITY + " units";
        }
        for (String unit : c.units()) {
            if (!UNIT.matcher(unit).matches()) {
                return "unit names are 1 to " + Limits.MAX_UNIT_CHARS + " characters from A-Z a-z 0-9 . _ : -";
            }
        }
        if (new HashSet<>(c.units()).size() != c.units().size()) {
            return "unit names must be distinct";
        }
        if (c.hasNamedUnits() && c.capacity() != c.units().size()) {
            return "a slot with named units has as much capacity as it has units (" + c.units().size() + ")";
        }
        return null;
    }
}
