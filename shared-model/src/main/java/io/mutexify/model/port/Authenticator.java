package io.mutexify.model.port;

import io.mutexify.model.command.Actor;
import java.util.Optional;
import java.util.function.Function;

/** Turns a request's credentials into an {@link Actor}; empty means "not signed in". */
public interface Authenticator {
    Optional<Actor> authenticate(Function<String, String> header);
}
