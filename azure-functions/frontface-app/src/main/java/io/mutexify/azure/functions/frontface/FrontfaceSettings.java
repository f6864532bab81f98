package io.mutexify.azure.functions.frontface;

import io.mutexify.azure.app.AppSettingNames;
import io.mutexify.azure.cosmos.CosmosSettings;
import io.mutexify.azure.insights.InsightsSettings;
import io.mutexify.azure.servicebus.ServiceBusSettings;
import io.mutexify.frontface.access.AccessConfig;
import io.mutexify.model.settings.SettingsReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the Frontface function app reads from its app settings.
 *
 * @param replyTimeout how long a mutating call waits for the Lockkeeper before answering 202
 * @param access       sign-in, administrators, allowed domains, rate limit and CORS: the cloud
 *                     reading of the settings the local server reads too (Google required, no
 *                     open access, no dev sign-in)
 */
public record FrontfaceSettings(CosmosSettings cosmos, ServiceBusSettings serviceBus, InsightsSettings insights,
                                Duration replyTimeout, AccessConfig access) {
    public static final String REPLY_TIMEOUT_MS = "MUTEXIFY_REPLY_TIMEOUT_MS";
    /** Every setting this app (code, bindings and host) reads. */
    public static final List<String> SETTING_NAMES =
            AppSettingNames.of(List.of(REPLY_TIMEOUT_MS), List.copyOf(AccessConfig.SETTINGS.keySet()));

    /** Reads the app settings; a bad or missing value fails with a message naming the setting. */
    public static FrontfaceSettings fromEnvironment(Map<String, String> env) {
        Map<String, String> declared = new HashMap<>(AccessConfig.SETTINGS);
        declared.put(REPLY_TIMEOUT_MS, "10000");
        SettingsReader r = new SettingsReader(env::get, declared);
        // Functions cuts an HTTP call off after 230 s; the reply wait (plus an acquire's 60 s wait) must stay below.
        Duration replyTimeout = Duration.ofMillis(r.integer(REPLY_TIMEOUT_MS, 100, 120_000));
        AccessConfig access = AccessConfig.cloud(r);
        return new FrontfaceSettings(CosmosSettings.fromEnvironment(env), ServiceBusSettings.fromEnvironment(env),
                InsightsSettings.fromEnvironment(env), replyTimeout, access);
    }
}
