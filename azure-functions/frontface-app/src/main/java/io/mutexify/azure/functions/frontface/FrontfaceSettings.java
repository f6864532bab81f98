package io.mutexify.azure.functions.frontface;

import io.mutexify.azure.cosmos.CosmosSettings;
import io.mutexify.azure.insights.InsightsSettings;
import io.mutexify.azure.servicebus.ServiceBusSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Everything the Frontface function app reads from its app settings.
 *
 * @param replyTimeout how long a mutating call waits for the Lockkeeper before answering 202
 */
public record FrontfaceSettings(CosmosSettings cosmos, ServiceBusSettings serviceBus, InsightsSettings insights,
                                Duration replyTimeout) {
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
        SETTING_NAMES = Collections.unmodifiableList(all);
    }

    public static FrontfaceSettings fromEnvironment(Map<String, String> env) {
        String raw = env.get(REPLY_TIMEOUT_MS);
        long ms;
        try {
            ms = raw == null || raw.isBlank() ? 10_000 : Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(REPLY_TIMEOUT_MS + " must be a whole number, got: " + raw, e);
        }
        // Functions cuts an HTTP call off after 230 s; the reply wait (plus an acquire's 60 s wait) must stay below.
        if (ms < 100 || ms > 120_000) {
            throw new IllegalArgumentException(REPLY_TIMEOUT_MS + " must be 100-120000, got: " + ms);
        }
        return new FrontfaceSettings(CosmosSettings.fromEnvironment(env), ServiceBusSettings.fromEnvironment(env),
                InsightsSettings.fromEnvironment(env), Duration.ofMillis(ms));
    }
}
