package io.mutexify.embedded.config;

import io.mutexify.frontface.access.AccessConfig;
import io.mutexify.model.machine.Policy;
import io.mutexify.model.settings.SettingsReader;
import io.mutexify.model.slot.Limits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The embedded server's settings, read from {@code MUTEXIFY_*} environment variables. Every
 * setting is listed in {@link #SETTINGS} with its default; docs/configuration.md documents the same list.
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
        Duration replyRetention,
        AccessConfig access,
        ExposureConfig exposure) {

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
        m.put("MUTEXIFY_LONG_WAIT_GRACE_SECONDS", Long.toString(Policy.DEFAULT_POLL_GRACE.toSeconds()));
        m.put("MUTEXIFY_REPLY_TIMEOUT_MS", "10000");
        m.put("MUTEXIFY_QUEUE_CAPACITY", "10000");
        m.put("MUTEXIFY_WORKERS", "16");
        m.put("MUTEXIFY_REPLY_RETENTION_HOURS", "24");
        m.putAll(AccessConfig.LOCAL_SETTINGS);
        m.putAll(AccessConfig.SETTINGS);
        m.put("MUTEXIFY_PUBLIC_URL", "");
        m.put("MUTEXIFY_MAX_CONNECTIONS_PER_ADDRESS", "64");
        m.put("MUTEXIFY_MAX_WATCHES_PER_PRINCIPAL", "32");
        m.put("MUTEXIFY_MAX_SLOTS_PER_PRINCIPAL", "1000");
        return Map.copyOf(m);
    }

    public static EmbeddedConfig fromEnvironment() {
        return from(System::getenv);
    }

    /** Reads settings through {@code env}; a bad value fails start-up with a message naming the variable. */
    public static EmbeddedConfig from(Function<String, String> env) {
        SettingsReader r = new SettingsReader(env, SETTINGS);
        int defaultTimeout = r.integer("MUTEXIFY_DEFAULT_TIMEOUT", 1, Limits.MAX_TIMEOUT_CEILING);
        int maxTimeout = r.integer("MUTEXIFY_MAX_TIMEOUT", 1, Limits.MAX_TIMEOUT_CEILING);
        if (defaultTimeout > maxTimeout) {
            throw new IllegalArgumentException("MUTEXIFY_DEFAULT_TIMEOUT must not exceed MUTEXIFY_MAX_TIMEOUT");
        }
        String host = r.string("MUTEXIFY_HOST");
        return new EmbeddedConfig(
                host,
                r.integer("MUTEXIFY_PORT", 0, 65535),
                Path.of(r.string("MUTEXIFY_DATA_DIR")),
                r.uris("MUTEXIFY_WEBHOOKS"),
                new Policy(r.bool("MUTEXIFY_AUTO_REGISTER"), defaultTimeout, maxTimeout,
                        Duration.ofSeconds(r.integer("MUTEXIFY_LONG_WAIT_GRACE_SECONDS", 1, Policy.MAX_POLL_GRACE_SECONDS))),
                Duration.ofMillis(r.integer("MUTEXIFY_REPLY_TIMEOUT_MS", 100, 600_000)),
                r.integer("MUTEXIFY_QUEUE_CAPACITY", 1, 10_000_000),
                r.integer("MUTEXIFY_WORKERS", 1, 256),
                Duration.ofHours(r.integer("MUTEXIFY_REPLY_RETENTION_HOURS", 1, 24 * 365)),
                AccessConfig.local(r, host),
                ExposureConfig.from(r, host));
    }
}
