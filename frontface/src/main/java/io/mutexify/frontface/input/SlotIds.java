package io.mutexify.frontface.input;

import io.mutexify.frontface.http.ApiException;
import io.mutexify.model.slot.SlotId;

/** Validates a slot id taken from a path or a body, as a 400 with the reason. */
public final class SlotIds {
    private SlotIds() {
    }

    public static String require(String id) {
        SlotId.problem(id).ifPresent(p -> {
            throw ApiException.badRequest("invalid_slot_id", p);
        });
        return id;
    }
}
