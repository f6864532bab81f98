package io.mutexify.azure.app;

import io.mutexify.azure.cosmos.CosmosSettings;
import io.mutexify.azure.insights.InsightsSettings;
import io.mutexify.azure.servicebus.ServiceBusSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The app settings every Mutexify function app reads, and the list of one app's settings built on them. */
public final class AppSettingNames {
    /** Read by the Functions host, not by this code: they must be set all the same. */
    public static final List<String> HOST = List.of("FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage",
            "APPLICATIONINSIGHTS_ENABLE_AGENT");

    private AppSettingNames() {
    }

    /** The host's, Cosmos DB's, Service Bus's and Application Insights' settings, then the app's own groups. */
    @SafeVarargs
    public static List<String> of(List<String>... own) {
        List<String> all = new ArrayList<>(HOST);
        all.addAll(CosmosSettings.SETTING_NAMES);
        all.addAll(ServiceBusSettings.SETTING_NAMES);
        all.addAll(InsightsSettings.SETTING_NAMES);
        for (List<String> group : own) {
            all.addAll(group);
        }
        return Collections.unmodifiableList(all);
    }
}
