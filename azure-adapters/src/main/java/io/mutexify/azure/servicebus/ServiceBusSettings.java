package io.mutexify.azure.servicebus;

import java.util.List;
import java.util.Map;

/**
 * Where the request and reply queues live, read from app settings. The connection setting is the
 * one the Service Bus trigger binding reads too ({@code connection = "SERVICEBUS_CONNECTION"}): either
 * a connection string in {@code SERVICEBUS_CONNECTION}, or, with a managed identity, the namespace in
 * {@code SERVICEBUS_CONNECTION__fullyQualifiedNamespace} ({@code <name>.servicebus.windows.net}).
 *
 * @param connectionString  a connection string (with a SAS key), or null to use {@code DefaultAzureCredential}
 * @param namespace         the fully qualified namespace, used when there is no connection string
 * @param requestQueue      the session-enabled queue of commands (session id = slot id)
 * @param replyQueue        the session-enabled queue of replies (session id = Frontface instance)
 * @param maxDeliveryCount  the request queue's MaxDeliveryCount: the attempt that gets an error reply before dead-lettering
 */
public record ServiceBusSettings(String connectionString, String namespace, String requestQueue, String replyQueue,
                                 int maxDeliveryCount) {
    public static final String CONNECTION = "SERVICEBUS_CONNECTION";
    public static final String NAMESPACE = "SERVICEBUS_CONNECTION__fullyQualifiedNamespace";
    public static final String REQUEST_QUEUE = "MUTEXIFY_REQUEST_QUEUE";
    public static final String REPLY_QUEUE = "MUTEXIFY_REPLY_QUEUE";
    public static final String MAX_DELIVERY_COUNT = "MUTEXIFY_MAX_DELIVERY_COUNT";
    /** Every setting this adapter reads, for checks that the deployment files list them all. */
    public static final List<String> SETTING_NAMES = List.of(CONNECTION, NAMESPACE, REQUEST_QUEUE, REPLY_QUEUE,
            MAX_DELIVERY_COUNT);
    public static final String DEFAULT_REQUEST_QUEUE = "mutexify-requests";
    public static final String DEFAULT_REPLY_QUEUE = "mutexify-replies";
    /** Service Bus's own default MaxDeliveryCount. */
    public static final int DEFAULT_MAX_DELIVERY_COUNT = 10;

    public ServiceBusSettings {
        if (connectionString == null && namespace == null) {
            throw new IllegalArgumentException(CONNECTION + " (a connection string) or " + NAMESPACE
                    + " (for a managed identity) is required");
        }
        checkQueue(REQUEST_QUEUE, requestQueue);
        checkQueue(REPLY_QUEUE, replyQueue);
        if (maxDeliveryCount < 1 || maxDeliveryCount > 2000) {
            throw new IllegalArgumentException(MAX_DELIVERY_COUNT + " must be 1-2000, got: " + maxDeliveryCount);
        }
    }

    public static ServiceBusSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static ServiceBusSettings fromEnvironment(Map<String, String> env) {
        String max = value(env, MAX_DELIVERY_COUNT);
        int maxDeliveries;
        try {
            maxDeliveries = max == null ? DEFAULT_MAX_DELIVERY_COUNT : Integer.parseInt(max);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MAX_DELIVERY_COUNT + " must be a whole number, got: " + max, e);
        }
        return new ServiceBusSettings(value(env, CONNECTION), value(env, NAMESPACE),
                orDefault(value(env, REQUEST_QUEUE), DEFAULT_REQUEST_QUEUE),
                orDefault(value(env, REPLY_QUEUE), DEFAULT_REPLY_QUEUE), maxDeliveries);
    }

    public boolean usesConnectionString() {
        return connectionString != null;
    }

    /** Never prints the connection string (it holds a key). */
    @Override
    public String toString() {
        return "ServiceBusSettings[auth=" + (usesConnectionString() ? "connection string" : "DefaultAzureCredential on " + namespace)
                + ", requestQueue=" + requestQueue + ", replyQueue=" + replyQueue + ", maxDeliveryCount=" + maxDeliveryCount + "]";
    }

    private static void checkQueue(String setting, String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._/-]{0,259}")) {
            throw new IllegalArgumentException(setting + " must be a Service Bus queue name, got: " + name);
        }
    }

    private static String orDefault(String v, String dflt) {
        return v == null ? dflt : v;
    }

    static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
