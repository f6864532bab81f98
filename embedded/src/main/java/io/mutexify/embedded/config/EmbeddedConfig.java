package io.mutexify.embedded.config;

import io.mutexify.model.machine.Policy;
import io.mutexify.model.slot.Limits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The embedded server's settings, read from {@code MUTEXIFY_*} environment variables. Every
 * setting is listed in {@link #SETTINGS} with its default; the README documents the same list.
 */
public record EmbeddedConfig(
        String host,
        int port,
        Path dataDir,
        List<URI> webhooks,
        Policy policy,
        Duration replyTimeout,
        int queueCapacity,
        int workers,
        Duration replyRetention) {

    /** Every environment variable the embedded server reads, with its default ("" = unset). */
    public static final Map<String, String> SETTINGS = settings();

    private static Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("MUTEXIFY_HOST", "127.0.0.1");
        m.put("MUTEXIFY_PORT", "8080");
        m.put("MUTEXIFY_DATA_DIR", "data");
        m.put("MUTEXIFY_WEBHOOKS", "");
        m.put("MUTEXIFY_AUTO_REGISTER", "true");
        m.put("MUTEXIFY_DEFAULT_TIMEOUT", Integer.toString(Limits.DEFAULT_TIMEOUT));
        m.put("MUTEXIFY_MAX_TIMEOUT", Integer.toString(Limits.DEFAULT_MAX_TIMEOUT));
        m.put("MUTEXIFY_REPLY_TIMEOUT_MS", "10000");
        m.put("MUTEXIFY_QUEUE_CAPACITY", "10000");
        m.put("MUTEXIFY_WORKERS", "16");
        m.put("MUTEXIFY_REPLY_RETENTION_HOURS", "24");
        return Map.copyOf(m);
    }

    public static EmbeddedConfig fromEnvironment() {
        return from(System::getenv);
    }

    /** Reads settings through {@code env}; a bad value fails start-up with a message naming the variable. */
    public static EmbeddedConfig from(Function<String, String> env) {
        Reader r = new Reader(env);
        int defaultTimeout = r.integer("MUTEXIFY_DEFAULT_TIMEOUT", 1, Limits.MAX_TIMEOUT_CEILING);
        int maxTimeout = r.integer("MUTEXIFY_MAX_TIMEOUT", 1, Limits.MAX_TIMEOUT_CEILING);
        if (defaultTimeout > maxTimeout) {
            throw new IllegalArgumentException("MUTEXIFY_DEFAULT_TIMEOUT must not exceed MUTEXIFY_MAX_TIMEOUT");
        }
        return new EmbeddedConfig(
                r.string("MUTEXIFY_HOST"),
                r.integer("MUTEXIFY_PORT", 0, 65535),
                Path.of(r.string("MUTEXIFY_DATA_DIR")),
                r.uris("MUTEXIFY_WEBHOOKS"),
                new Policy(r.bool("MUTEXIFY_AUTO_REGISTER"), defaultTimeout, maxTimeout),
                Duration.ofMillis(r.integer("MUTEXIFY_REPLY_TIMEOUT_MS", 100, 600_000)),
                r.integer("MUTEXIFY_QUEUE_CAPACITY", 1, 10_000_000),
                r.integer("MUTEXIFY_WORKERS", 1, 256),
                Duration.ofHours(r.integer("MUTEXIFY_REPLY_RETENTION_HOURS", 1, 24 * 365)));
    }

    public EmbeddedConfig withPort(int newPort) {
        return new EmbeddedConfig(host, newPort, dataDir, webhooks, policy, replyTimeout, queueCapacity, workers, replyRetention);
    }

    public EmbeddedConfig withDataDir(Path dir) {
        return new EmbeddedConfig(host, port, dir, webhooks, policy, replyTimeout, queueCapacity, workers, replyRetention);
    }

    public EmbeddedConfig withWebhooks(List<URI> hooks) {
        return new EmbeddedConfig(host, port, dataDir, hooks, policy, replyTimeout, queueCapacity, workers, replyRetention);
    }

    /** Reads one variable at a time, falling back to the documented default. */
    private record Reader(Function<String, String> env) {
        String string(String name) {
            String v = env.apply(name);
            return v == null || v.isBlank() ? SETTINGS.get(name) : v.trim();
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

        List<URI> uris(String name) {
            String v = string(name);
            if (v.isBlank()) {
                return List.of();
            }
            return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(s -> {
                URI u = URI.create(s);
                if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                    throw new IllegalArgumentException(name + " holds a URL that is not http(s): " + s);
                }
                return u;
            }).toList();
        }
    }
}
