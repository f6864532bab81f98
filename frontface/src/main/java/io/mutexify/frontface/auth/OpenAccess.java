package io.mutexify.frontface.auth;

import io.mutexify.model.command.Actor;
import io.mutexify.model.port.Authenticator;
import java.util.Optional;
import java.util.function.Function;

/**
 * No sign-in: every caller is the administrator {@code anonymous}. Only for a server bound to a
 * trusted interface (the embedded default listens on loopback unless told otherwise).
 */
public final class OpenAccess implements Authenticator {
    public static final Actor ANONYMOUS = new Actor("anonymous", true);

    @Override
    public Optional<Actor> authenticate(Function<String, String> header) {
        return Optional.of(ANONYMOUS);
    }
}
