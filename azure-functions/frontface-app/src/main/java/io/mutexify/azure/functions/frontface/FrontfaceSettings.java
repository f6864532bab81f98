package io.mutexify.azure.functions.frontface;

import io.mutexify.azure.cosmos.CosmosSettings;
import io.mutexify.azure.insights.InsightsSettings;
import io.mutexify.azure.servicebus.ServiceBusSettings;
import io.mutexify.frontface.access.AccessConfig;
import io.mutexify.model.settings.SettingsReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
    /** Read by the Functions host, not by this code: they must be set all the same. */
    public static final List<String> HOST_SETTING_NAMES = List.of("FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage",
            "APPLICATIONINSIGHTS_ENABLE_AGENT");
    /** Every setting this app (code, bindings and host) reads. */
    public static final List<String> SETTING_NAMES;

    static {
        List<String> all = new ArrayList<>(HOST_SETTING_NAMES);
        all.addAll(CosmosSettings.SETTING_NAMES);
        all.addAll(ServiceBusSettings.SETTING_NAMES);
        all.addAll(InsightsSettings.SETTING_NAMES);
        all.add(REPLY_TIMEOUT_MS);
        all.addAll(AccessConfig.SETTINGS.keySet());
        SETTING_NAMES = Collections.unmodifiableList(all);
    }

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
