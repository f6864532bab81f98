package io.mutexify.azure.functions.frontface;

import com.azure.messaging.servicebus.ServiceBusSenderClient;
import io.mutexify.azure.cosmos.CosmosSlotStore;
import io.mutexify.azure.insights.AppInsightsTelemetry;
import io.mutexify.azure.servicebus.ServiceBusClients;
import io.mutexify.azure.servicebus.ServiceBusCommandQueue;
import io.mutexify.azure.servicebus.ServiceBusReplyReceiver;
import io.mutexify.frontface.ApiHandler;
import io.mutexify.frontface.auth.OpenAccess;
import io.mutexify.frontface.dispatch.ReplyWaiter;
import io.mutexify.frontface.watch.SlotWatch;
import io.mutexify.model.port.Authenticator;
import io.mutexify.model.port.CommandQueue;
import io.mutexify.model.port.SlotReader;
import io.mutexify.model.port.Telemetry;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Frontface of one function app instance (one JVM): the same {@link ApiHandler} as the embedded
 * server, reading slots from Cosmos DB, sending commands to the request queue, and receiving its
 * replies on its own session of the reply queue. Built once, on the first call.
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

    /** An ApiHandler over the given ports, as the function app and the tests wire it. */
    public static ApiHandler handler(SlotReader reader, CommandQueue queue, ReplyWaiter replies, SlotWatch watch,
                                     Authenticator authenticator, Duration replyTimeout, BooleanSupplier ready) {
        return ApiHandler.builder().reader(reader).queue(new StoredReplyFirst(queue, reader, replies)).replies(replies).watch(watch)
                .authenticator(authenticator).replyTimeout(replyTimeout).ready(ready).build();
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
        // Sign-in (issue #4) plugs in here; until then the function keys (authLevel FUNCTION) guard the API.
        ApiHandler api = handler(store, queue, replies, watch, new OpenAccess(), settings.replyTimeout(),
                () -> store.isReachable() && queue.isReachable() && receiver.isConnected());
        log.info("Frontface ready: reply session {}, {}", replySession, settings.serviceBus());
        return new FrontfaceApp(api, AppInsightsTelemetry.of(settings.insights()));
    }
}
