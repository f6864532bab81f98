package io.mutexify.frontface.input;

import java.util.Set;

/** The body of {@code POST /api/v1/keys}: a name, and optionally a lifetime in seconds. */
public final class KeyInput {
    public static final int MAX_NAME_CHARS = 100;
    /** Five years: a key meant to live longer should be rotated anyway. */
    public static final int MAX_EXPIRES_IN = 5 * 366 * 24 * 3600;
    private static final Set<String> FIELDS = Set.of("name", "expiresIn");

    private KeyInput() {
    }

    /** A validated request for a key; {@code expiresIn} null means it never expires. */
    public record Create(String name, Integer expiresIn) {
    }

    public static Create create(byte[] body) {
        JsonBody b = JsonBody.parse(body, false, FIELDS);
        String name = b.string("name", MAX_NAME_CHARS, true);
        if (name == null) {
            throw io.mutexify.frontface.http.ApiException.badRequest("invalid_name", "name is required");
        }
        return new Create(name, b.integer("expiresIn", 1, MAX_EXPIRES_IN));
    }
}
