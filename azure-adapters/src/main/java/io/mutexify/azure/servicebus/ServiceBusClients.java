package io.mutexify.azure.servicebus;

import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.ServiceBusSessionReceiverClient;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the Service Bus clients from {@link ServiceBusSettings}: a connection string, or the managed identity. */
public final class ServiceBusClients {
    private static final Logger log = LoggerFactory.getLogger(ServiceBusClients.class);

    private ServiceBusClients() {
    }

    private static ServiceBusClientBuilder builder(ServiceBusSettings settings) {
        ServiceBusClientBuilder b = new ServiceBusClientBuilder();
        if (settings.usesConnectionString()) {
            b.connectionString(settings.connectionString());
        } else {
            b.credential(settings.namespace(), new DefaultAzureCredentialBuilder().build());
        }
        return b;
    }

    /** A sender on {@code queue} (the request queue, or a reply queue). */
    public static ServiceBusSenderClient sender(ServiceBusSettings settings, String queue) {
        log.info("Service Bus sender on {} ({})", queue, settings);
        return builder(settings).sender().queueName(queue).buildClient();
    }

    /** A receiver of sessions of the reply queue, peek-lock, so a reply is removed only once it was handed over. */
    public static ServiceBusSessionReceiverClient replySessions(ServiceBusSettings settings) {
        return builder(settings).sessionReceiver().queueName(settings.replyQueue())
                .receiveMode(ServiceBusReceiveMode.PEEK_LOCK).disableAutoComplete().buildClient();
    }
}
