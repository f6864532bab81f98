package io.mutexify.azure.functions.frontface;

import com.azure.messaging.servicebus.ServiceBusSenderClient;
import io.mutexify.azure.cosmos.CosmosSlotStore;
import io.mutexify.azure.insights.AppInsightsTelemetry;
import io.mutexify.azure.servicebus.ServiceBusClients;
import io.mutexify.azure.servicebus.ServiceBusCommandQueue;
import io.mutexify.azure.servicebus.ServiceBusReplyReceiver;
import io.mutexify.frontface.ApiHandler;
import io.mutexify.frontface.access.AccessConfig;
import io.mutexify.frontface.access.SignInSetup;
import io.mutexify.frontface.dispatch.ReplyWaiter;
import io.mutexify.frontface.watch.SlotWatch;
import io.mutexify.model.port.ApiKeyStore;
import io.mutexify.model.port.CommandQueue;
import io.mutexify.model.port.PendingRequests;
import io.mutexify.model.port.SlotReader;
import io.mutexify.model.port.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Frontface of one function app instance (one JVM): the same {@link ApiHandler} as the embedded
 * server, with the same sign-in ({@link SignInSetup}: Google ID tokens and API keys, never open
 * access or the dev sign-in), reading slots and API keys from Cosmos DB, sending commands to the
 * request queue, and receiving its replies on its own session of the reply queue. Built once, on
 * the first call; settings that cannot work (no Google client id) fail that call and name the setting.
 */
public final class FrontfaceApp {
    private static final Logger log = LoggerFactory.getLogger(FrontfaceApp.class);
    private static volatile FrontfaceApp instance;

    private final ApiHandler api;
    private final Telemetry telemetry;

    public FrontfaceApp(ApiHandler api, Telemetry telemetry) {
        this.api = api;
        this.telemetry = telemetry;
    }

    /** The app of this JVM, built from the environment on first use. */
    public static FrontfaceApp get() {
        FrontfaceApp app = instance;
        if (app == null) {
            synchronized (FrontfaceApp.class) {
                app = instance;
                if (app == null) {
                    app = fromEnvironment(System.getenv());
                    instance = app;
                }
            }
        }
        return app;
    }

    /** Replaces the app of this JVM (tests wire their own). */
    public static void install(FrontfaceApp app) {
        instance = app;
    }

    public ApiHandler api() {
        return api;
    }

    public Telemetry telemetry() {
        return telemetry;
    }

    /** The ApiHandler over the given ports and settings, as the function app wires it (and the tests, with their own ports). */
    public static ApiHandler handler(AccessConfig access, ApiKeyStore keys, SlotReader reader, CommandQueue queue,
                                     PendingRequests pending, ReplyWaiter replies, SlotWatch watch, Duration replyTimeout,
                                     BooleanSupplier ready) {
        ApiHandler.Builder api = ApiHandler.builder().reader(reader).queue(new StoredReplyFirst(queue, reader, replies))
                .replies(replies).watch(watch).replyTimeout(replyTimeout).ready(ready)
                // A long wait's polls may reach any instance: each finds the wait's slot in its pending record.
                .pendingRequests(pending);
        return SignInSetup.apply(api, access, keys, Clock.systemUTC()).build();
    }

    static FrontfaceApp fromEnvironment(Map<String, String> env) {
        FrontfaceSettings settings = FrontfaceSettings.fromEnvironment(env);
        // One reply session per JVM: nobody else uses this id, so accepting it never waits for another instance.
        String replySession = "ff-" + UUID.randomUUID();
        CosmosSlotStore store = CosmosSlotStore.open(settings.cosmos());
        ServiceBusSenderClient sender = ServiceBusClients.sender(settings.serviceBus(), settings.serviceBus().requestQueue());
        // In-flight requests are recorded in the store before they are sent: any instance answers their polls.
        ServiceBusCommandQueue queue = new ServiceBusCommandQueue(sender, settings.serviceBus().replyQueue(), replySession,
                store.pendingRequests());
        ReplyWaiter replies = new ReplyWaiter(store.pendingRequests());
        ServiceBusReplyReceiver receiver = new ServiceBusReplyReceiver(
                ServiceBusClients.replySessions(settings.serviceBus()), replySession, replies);
        receiver.start();
        PollingSlotWatch watch = new PollingSlotWatch(store, Duration.ofSeconds(1));
        ApiHandler api = handler(settings.access(), store.apiKeys(), store, queue, store.pendingRequests(), replies, watch,
                settings.replyTimeout(),
                () -> store.isReachable() && queue.isReachable() && receiver.isConnected());
        log.info("Frontface ready: reply session {}, {}", replySession, settings.serviceBus());
        return new FrontfaceApp(api, AppInsightsTelemetry.of(settings.insights()));
    }
}
