package io.mutexify.frontface.auth;

import io.mutexify.model.auth.AuthMethod;
import io.mutexify.model.auth.Identity;
import io.mutexify.model.command.Actor;
import io.mutexify.model.port.Authenticator;
import java.util.Optional;
import java.util.function.Function;

/**
 * No sign-in: every caller is the administrator {@code anonymous}, whatever it sends. Only for a
 * server on loopback (the embedded default refuses open mode on any other interface).
 */
public final class OpenAccess implements Authenticator {
    public static final Actor ANONYMOUS = new Actor("anonymous", true);
    private static final Identity IDENTITY = Identity.of(ANONYMOUS, AuthMethod.OPEN);

    @Override
    public Optional<Identity> identify(Function<String, String> header) {
        return Optional.of(IDENTITY);
    }
}
