package io.mutexify.model.port;

import io.mutexify.model.auth.Identity;
import java.util.Optional;
import java.util.function.Function;

/** Turns a request's credentials into an {@link Identity}; empty means "not signed in" (no or bad credentials). */
public interface Authenticator {
    Optional<Identity> identify(Function<String, String> header);
}
