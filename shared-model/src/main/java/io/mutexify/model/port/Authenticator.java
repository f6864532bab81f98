package io.mutexify.model.port;

import io.mutexify.model.auth.Identity;
import io.mutexify.model.command.Actor;
import java.util.Optional;
import java.util.function.Function;

/** Turns a request's credentials into an {@link Identity}; empty means "not signed in" (no or bad credentials). */
public interface Authenticator {
    Optional<Identity> identify(Function<String, String> header);

    /** Just the actor, for callers that do not care how it signed in. */
    default Optional<Actor> authenticate(Function<String, String> header) {
        return identify(header).map(Identity::actor);
    }
}
