package io.mutexify.model.auth;

import java.util.Locale;

/** How a caller proved who they are. */
public enum AuthMethod {
    /** A Google ID token. */
    GOOGLE,
    /** A token from the embedded default's dev sign-in. */
    DEV,
    /** An API key made by a signed-in user. */
    API_KEY,
    /** No sign-in at all: the open mode, where everyone is the administrator {@code anonymous}. */
    OPEN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this is a person's sign-in rather than a program's key (key management needs one). */
    public boolean isSignIn() {
        return this != API_KEY;
    }
}
