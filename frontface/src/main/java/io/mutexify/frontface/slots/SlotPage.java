package io.mutexify.frontface.slots;

import io.mutexify.frontface.http.ApiException;
import io.mutexify.frontface.http.ApiRequest;
import io.mutexify.frontface.http.QueryParams;
import io.mutexify.model.slot.SlotId;

/** Which page of the slot list a call asks for: {@code ?limit=N&after=<slot id>}; bad values are a 400. */
record SlotPage(int limit, String after) {
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;

    static SlotPage of(ApiRequest req) {
        int limit = QueryParams.limit(req, DEFAULT_PAGE, MAX_PAGE);
        String after = req.queryParam("after");
        if (after == null || after.isEmpty()) {
            return new SlotPage(limit, "");
        }
        SlotId.problem(after).ifPresent(p -> {
            throw ApiException.badRequest("invalid_after", "after must be a slot id, the next of a previous page: " + p);
        });
        return new SlotPage(limit, after);
    }
}
