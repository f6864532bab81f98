package io.mutexify.frontface.routes;

import io.mutexify.frontface.auth.AuthRoutes;
import io.mutexify.frontface.keys.KeyRoutes;
import io.mutexify.frontface.locks.LockRoutes;
import io.mutexify.frontface.locks.OwnLocks;
import io.mutexify.frontface.openapi.OpenApiDocument;
import io.mutexify.frontface.probes.Probes;
import io.mutexify.frontface.requests.RequestRoutes;
import io.mutexify.frontface.slots.SlotRoutes;
import io.mutexify.frontface.ui.UiFiles;

/** The classes that answer the routes of {@link ApiRoutes}, as one handler wires them. */
public record Endpoints(LockRoutes locks, OwnLocks ownLocks, SlotRoutes slots, RequestRoutes requests, KeyRoutes keys,
                        AuthRoutes auth, OpenApiDocument openApi, UiFiles ui, Probes probes) {

    /** Whether the routes that need {@code feature} exist here. */
    public boolean has(Route.Feature feature) {
        return switch (feature) {
            case DEV_SIGN_IN -> auth.devSignInOn();
            case METRICS -> probes.hasMetrics();
        };
    }
}
