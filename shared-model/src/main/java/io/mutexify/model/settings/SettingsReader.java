package io.mutexify.model.settings;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads one setting at a time from {@code source} (environment, app settings), falling back to its default
 * in {@code defaults} ("" = unset); every host parses settings here, and a bad value names the setting.
 */
public record SettingsReader(Function<String, String> source, Map<String, String> defaults) {
    public SettingsReader {
        defaults = Map.copyOf(defaults);
    }

    public String string(String name) {
        if (!defaults.containsKey(name)) {
            throw new IllegalStateException(name + " is not a declared setting"); // a bug: every setting is listed
        }
        String v = source.apply(name);
        return v == null || v.isBlank() ? defaults.get(name) : v.trim();
    }

    public int integer(String name, int min, int max) {
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

    /** Any case: ARM writes {@code True}. */
    public boolean bool(String name) {
        String v = string(name);
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException(name + " must be true or false, not '" + v + "'");
    }

    /** One of {@code allowed}, lower-case. */
    public String choice(String name, String... allowed) {
        String v = string(name).toLowerCase(Locale.ROOT);
        if (Arrays.asList(allowed).contains(v)) {
            return v;
        }
        throw new IllegalArgumentException(name + " must be one of " + String.join(", ", allowed) + ", not '" + v + "'");
    }

    /** A comma-separated list, items trimmed, empty items dropped. */
    public List<String> list(String name) {
        String v = string(name);
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public List<URI> uris(String name) {
        return list(name).stream().map(s -> {
            URI u;
            try {
                u = URI.create(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " holds something that is not a URL: " + s);
            }
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                throw new IllegalArgumentException(name + " holds a URL that is not http(s): " + s);
            }
            return u;
        }).toList();
    }
}
