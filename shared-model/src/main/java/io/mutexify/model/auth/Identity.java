package io.mutexify.model.auth;

import io.mutexify.model.command.Actor;
import java.util.Objects;

/** A caller the API has authenticated: who (as the {@link Actor} commands carry), how, and with which key. */
public record Identity(Actor actor, AuthMethod method, String keyId) {
    public Identity {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(method, "method");
        if ((method == AuthMethod.API_KEY) != (keyId != null)) {
            throw new IllegalArgumentException("a key id goes with, and only with, an API key");
        }
    }

    public static Identity of(Actor actor, AuthMethod method) {
        return new Identity(actor, method, null);
    }

    public String principal() {
        return actor.principal();
    }
}
