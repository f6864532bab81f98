package io.mutexify.azure.functions.lockkeeper;

import io.mutexify.azure.cosmos.CosmosSettings;
import io.mutexify.azure.eventgrid.EventGridSettings;
import io.mutexify.azure.insights.InsightsSettings;
import io.mutexify.azure.servicebus.ServiceBusSettings;
import io.mutexify.model.machine.Policy;
import io.mutexify.model.settings.SettingsReader;
import io.mutexify.model.slot.Limits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Everything the Lockkeeper function app reads from its app settings. The policy settings have the
 * names and defaults of the embedded server's.
 *
 * @param eventGrid      the topic, or null: events then wait in the outbox until one is configured
 * @param replyRetention how long replies are kept for idempotent retries
 */
public record LockkeeperSettings(CosmosSettings cosmos, ServiceBusSettings serviceBus, EventGridSettings eventGrid,
                                 InsightsSettings insights, Policy policy, Duration replyRetention) {
    public static final String AUTO_REGISTER = "MUTEXIFY_AUTO_REGISTER";
    public static final String DEFAULT_TIMEOUT = "MUTEXIFY_DEFAULT_TIMEOUT";
    public static final String MAX_TIMEOUT = "MUTEXIFY_MAX_TIMEOUT";
    public static final String LONG_WAIT_GRACE = "MUTEXIFY_LONG_WAIT_GRACE_SECONDS";
    public static final String REPLY_RETENTION_HOURS = "MUTEXIFY_REPLY_RETENTION_HOURS";
    /** Read by the Functions host, not by this code: they must be set all the same. */
    public static final List<String> HOST_SETTING_NAMES = List.of("FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage",
            "APPLICATIONINSIGHTS_ENABLE_AGENT");
    /** Every setting this app (code, bindings and host) reads. */
    public static final List<String> SETTING_NAMES;

    static {
        List<String> all = new ArrayList<>(HOST_SETTING_NAMES);
        all.addAll(CosmosSettings.SETTING_NAMES);
        all.addAll(ServiceBusSettings.SETTING_NAMES);
        all.addAll(EventGridSettings.SETTING_NAMES);
        all.addAll(InsightsSettings.SETTING_NAMES);
        all.addAll(List.of(AUTO_REGISTER, DEFAULT_TIMEOUT, MAX_TIMEOUT, LONG_WAIT_GRACE, REPLY_RETENTION_HOURS));
        SETTING_NAMES = Collections.unmodifiableList(all);
    }

    /** Parsed by the same {@link SettingsReader} as the embedded server's settings, with the same defaults. */
    public static LockkeeperSettings fromEnvironment(Map<String, String> env) {
        SettingsReader r = new SettingsReader(env::get, Map.of(AUTO_REGISTER, "true",
                DEFAULT_TIMEOUT, Integer.toString(Limits.DEFAULT_TIMEOUT),
                MAX_TIMEOUT, Integer.toString(Limits.DEFAULT_MAX_TIMEOUT),
                LONG_WAIT_GRACE, Long.toString(Policy.DEFAULT_POLL_GRACE.toSeconds()),
                REPLY_RETENTION_HOURS, "24"));
        int maxTimeout = r.integer(MAX_TIMEOUT, 1, Limits.MAX_TIMEOUT_CEILING);
        int defaultTimeout = r.integer(DEFAULT_TIMEOUT, 1, maxTimeout);
        int retentionHours = r.integer(REPLY_RETENTION_HOURS, 1, 24 * 365);
        return new LockkeeperSettings(CosmosSettings.fromEnvironment(env), ServiceBusSettings.fromEnvironment(env),
                EventGridSettings.fromEnvironment(env), InsightsSettings.fromEnvironment(env),
                new Policy(r.bool(AUTO_REGISTER), defaultTimeout, maxTimeout,
                        Duration.ofSeconds(r.integer(LONG_WAIT_GRACE, 1, Policy.MAX_POLL_GRACE_SECONDS))),
                Duration.ofHours(retentionHours));
    }
}
