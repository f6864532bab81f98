package io.mutexify.frontface.routes;

import io.mutexify.frontface.http.ApiRequest;
import io.mutexify.frontface.input.SlotIds;
import io.mutexify.model.auth.Identity;
import io.mutexify.model.command.Actor;
import java.util.Map;

/** A request matched to a route: the request, its caller (null on public routes) and the path's parameters. */
public record Call(ApiRequest req, Identity who, Map<String, String> params) {
    static final String SLOT = "slot";

    /** A {@code {slot}} parameter is checked as soon as the path matched, before the method: a bad one is a 400. */
    public Call {
        params = Map.copyOf(params);
        if (params.containsKey(SLOT)) {
            SlotIds.require(params.get(SLOT));
        }
    }

    public Actor actor() {
        return who.actor();
    }

    public String slot() {
        return params.get(SLOT);
    }

    public String param(String name) {
        return params.get(name);
    }
}
