package io.mutexify.embedded.config;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Reads one {@code MUTEXIFY_*} variable at a time, falling back to the default in {@link EmbeddedConfig#SETTINGS}. */
record EnvReader(Function<String, String> env) {
    String string(String name) {
        if (!EmbeddedConfig.SETTINGS.containsKey(name)) {
            throw new IllegalStateException(name + " is not a declared setting"); // a bug: every setting is listed
        }
        String v = env.apply(name);
        return v == null || v.isBlank() ? EmbeddedConfig.SETTINGS.get(name) : v.trim();
    }

    int integer(String name, int min, int max) {
        String v = string(name);
        try {
            int i = Integer.parseInt(v);
            if (i >= min && i <= max) {
                return i;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", not '" + v + "'");
    }

    boolean bool(String name) {
        String v = string(name);
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException(name + " must be true or false, not '" + v + "'");
    }

    /** One of {@code allowed}, lower-case. */
    String choice(String name, String... allowed) {
        String v = string(name).toLowerCase(java.util.Locale.ROOT);
        if (Arrays.asList(allowed).contains(v)) {
            return v;
        }
        throw new IllegalArgumentException(name + " must be one of " + String.join(", ", allowed) + ", not '" + v + "'");
    }

    /** A comma-separated list, items trimmed, empty items dropped. */
    List<String> list(String name) {
        String v = string(name);
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    List<URI> uris(String name) {
        return list(name).stream().map(s -> {
            URI u = URI.create(s);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                throw new IllegalArgumentException(name + " holds a URL that is not http(s): " + s);
            }
            return u;
        }).toList();
    }
}
