package io.mutexify.frontface.slots;

import io.mutexify.frontface.http.ApiException;
import io.mutexify.model.command.Actor;
import io.mutexify.model.port.SlotReader;
import java.util.Map;

/**
 * How many slots one principal may own, so one account cannot fill the store. Checked before a
 * registration is queued (an explicit one, or an acquire that would register); administrators are
 * not limited. Concurrent registrations may pass it together, so it can be exceeded by a few.
 */
public final class SlotQuota {
    public static final int DEFAULT_MAX = 1000;

    private final SlotReader reader;
    private final int max;

    public SlotQuota(SlotReader reader, int max) {
        this.reader = reader;
        this.max = max;
    }

    /** Throws 429 if {@code actor} may not register another slot. */
    public void checkRoomFor(Actor actor) {
        if (actor.admin()) {
            return;
        }
        // Counted from the store's owner index, and no further than the limit: as cheap with a million slots as with ten.
        long owned = reader.countOwned(actor.principal(), max);
        if (owned >= max) {
            throw new ApiException(429, "too_many_slots", "you own " + owned + " slots, the most one may own here;"
                    + " delete some first", Map.of("Retry-After", "60"));
        }
    }
}
