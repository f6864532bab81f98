package io.mutexify.azure.functions.frontface;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.azure.cosmos.CosmosAsyncClient;
import io.mutexify.azure.cosmos.CosmosFixture;
import io.mutexify.azure.cosmos.CosmosSettings;
import io.mutexify.azure.cosmos.CosmosSlotStore;
import io.mutexify.azure.functions.lockkeeper.LockkeeperApp;
import io.mutexify.azure.functions.lockkeeper.LockkeeperFunctions;
import io.mutexify.azure.servicebus.ServiceBusCommandQueue;
import io.mutexify.azure.servicebus.ServiceBusReplyReceiver;
import io.mutexify.azure.servicebus.ServiceBusReplySink;
import io.mutexify.frontface.auth.LocalGoogle;
import io.mutexify.frontface.dispatch.ReplyWaiter;
import io.mutexify.lockkeeper.outbox.OutboxRelay;
import io.mutexify.model.json.Json;
import io.mutexify.model.machine.Policy;
import io.mutexify.model.port.CommandQueue;
import io.mutexify.model.port.SlotStore;
import io.mutexify.model.port.Telemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Azure shape in one JVM: one Cosmos DB (the test server), one Service Bus double
 * ({@link InMemoryServiceBus}), the Lockkeeper function app, and any number of Frontface instances,
 * each with its own store client view, reply session and in-memory waiters, as separate function app
 * instances have. Each Frontface signs callers in as the function app does: its access settings are
 * read by {@link FrontfaceSettings#fromEnvironment} from app settings that point Google sign-in at
 * this rig's {@link LocalGoogle}. Calls go through the HTTP functions of the chosen instance, with a
 * Google ID token of {@link #CALLER} unless the caller sets its own. Only inside a class extended
 * with {@code CosmosTestServer}; one rig at a time (it installs the JVM's Lockkeeper app).
 */
final class AzureRig implements AutoCloseable {
    static final String REQUESTS = "mutexify-requests";
    static final String REPLIES = "mutexify-replies";
    /** Who {@link #acquire}, {@link #get} and {@link #delete} sign in as. */
    static final String CALLER = "alice@example.com";

    final InMemoryServiceBus bus;
    final CosmosSettings db;
    final CosmosSlotStore keeperStore;
    final int maxDeliveryCount;
    final LocalGoogle google = new LocalGoogle();
    private final CosmosAsyncClient client;
    private OutboxRelay relay;
    private final List<Frontface> frontfaces = new ArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Thread lockkeeperHost;
    /** The Lockkeeper's policy, as its app settings would give it; set before the Lockkeeper starts. */
    private Policy policy = Policy.defaults();

    /** One Frontface function app instance. */
    record Frontface(FrontfaceApp app, FrontfaceSettings settings, CosmosSlotStore store, ReplyWaiter replies,
                     ServiceBusReplyReceiver receiver) {
    }

    AzureRig(int maxDeliveryCount) {
        this(maxDeliveryCount, null, CosmosFixture.freshSettings());
    }

    /** A rig whose stores all use {@code client} (e.g. a counting one), or the run's shared client if null. */
    AzureRig(int maxDeliveryCount, CosmosAsyncClient client, CosmosSettings db) {
        this.maxDeliveryCount = maxDeliveryCount;
        this.bus = new InMemoryServiceBus(maxDeliveryCount);
        this.client = client;
        this.db = db;
        this.keeperStore = openStore();
        toClose.add(keeperStore);
        toClose.add(google);
    }

    private CosmosSlotStore openStore() {
        return client == null ? CosmosFixture.open(db) : CosmosSlotStore.open(client, db);
    }

    /** The Lockkeeper's timer queue as deployed: scheduled messages on the request queue. */
    CommandQueue timers() {
        return new ServiceBusCommandQueue(bus.sender(REQUESTS), null, null);
    }

    /** Installs the Lockkeeper function app over {@code store} and {@code timers}, and starts its trigger. */
    void startLockkeeper(SlotStore store, CommandQueue timers) {
        startLockkeeper(store, timers, null);
    }

    /** As above, with an outbox relay (started here) that the Lockkeeper wakes after each commit with events. */
    void startLockkeeper(SlotStore store, CommandQueue timers, OutboxRelay withRelay) {
        this.relay = withRelay;
        if (relay != null) {
            relay.start();
            toClose.add(relay);
        }
        installLockkeeper(store, timers);
        LockkeeperFunctions keeper = new LockkeeperFunctions();
        lockkeeperHost = bus.consume(REQUESTS, m -> keeper.lockkeeper(new String(m.body(), StandardCharsets.UTF_8),
                m.sessionId(), m.messageId(), m.replyTo(), m.replyToSessionId(), m.deliveryCount(),
                m.properties(), null));
    }

    void startLockkeeper() {
        startLockkeeper(keeperStore, timers());
    }

    /**
     * A new Lockkeeper function app instance takes over (the old one stopped): nothing it knew in
     * memory (reply routes, cached slots) carries over; the trigger hands it the next messages.
     */
    void installLockkeeper(SlotStore store, CommandQueue timers) {
        LockkeeperApp.install(new LockkeeperApp(store,
                new ServiceBusReplySink(bus::sender, Clock.systemUTC(), keeperStore.pendingRequests()), timers,
                policy, Telemetry.NONE, relay, maxDeliveryCount, Duration.ofHours(24)));
    }

    /** The Lockkeeper started after this runs with {@code newPolicy}. */
    AzureRig policy(Policy newPolicy) {
        this.policy = newPolicy;
        return this;
    }

    /** Adds a Frontface instance with its own store view, reply session and waiters; returns its index. */
    int addFrontface(Duration replyTimeout, Duration lockRenewal) {
        return addFrontface(replyTimeout, lockRenewal, Telemetry.NONE, Map.of());
    }

    /**
     * As above, reporting to {@code telemetry}; {@code appSettings} are added to (or replace) the
     * Frontface's app settings, so its sign-in, limits and CORS are read as the function app reads them.
     */
    int addFrontface(Duration replyTimeout, Duration lockRenewal, Telemetry telemetry, Map<String, String> appSettings) {
        FrontfaceSettings settings = FrontfaceSettings.fromEnvironment(appSettings(replyTimeout, appSettings));
        String session = "ff-" + frontfaces.size();
        CosmosSlotStore store = openStore();
        ReplyWaiter replies = new ReplyWaiter(store.pendingRequests());
        ServiceBusReplyReceiver receiver = new ServiceBusReplyReceiver(bus.sessionReceiver(REPLIES), session, replies,
                lockRenewal);
        receiver.start();
        ServiceBusCommandQueue queue = new ServiceBusCommandQueue(bus.sender(REQUESTS), REPLIES, session,
                store.pendingRequests());
        PollingSlotWatch watch = new PollingSlotWatch(store, Duration.ofMillis(100));
        FrontfaceApp app = new FrontfaceApp(FrontfaceApp.handler(settings.access(), store.apiKeys(), store, queue,
                store.pendingRequests(), replies, watch, replyTimeout, () -> store.isReachable() && queue.isReachable()), telemetry);
        frontfaces.add(new Frontface(app, settings, store, replies, receiver));
        toClose.add(receiver);
        toClose.add(watch);
        toClose.add(store);
        return frontfaces.size() - 1;
    }

    /** The app settings of a Frontface on this rig's database and Google, plus {@code extra}. */
    private Map<String, String> appSettings(Duration replyTimeout, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("COSMOS_ENDPOINT", db.endpoint());
        env.put("COSMOS_KEY", db.key());
        env.put("COSMOS_DATABASE", db.database());
        env.put("COSMOS_CONTAINER", db.container());
        env.put("SERVICEBUS_CONNECTION",
                "Endpoint=sb://in-memory.servicebus.windows.net/;SharedAccessKeyName=test;SharedAccessKey=unused");
        env.put("MUTEXIFY_GOOGLE_CLIENT_IDS", LocalGoogle.CLIENT_ID);
        env.put("MUTEXIFY_GOOGLE_CERTS_URL", google.certsUrl());
        env.put(FrontfaceSettings.REPLY_TIMEOUT_MS, Long.toString(replyTimeout.toMillis()));
        env.putAll(extra);
        return env;
    }

    /** Frontface instance {@code index}. */
    Frontface frontface(int index) {
        return frontfaces.get(index);
    }

    /** A Google ID token for {@code email}, signed by the local key the Frontfaces' certificate URL serves. */
    String token(String email) {
        return google.mint(LocalGoogle.claims(email));
    }

    int addFrontface(Duration replyTimeout) {
        return addFrontface(replyTimeout, Duration.ofSeconds(10));
    }

    /** Serves {@code req} on Frontface instance {@code index}, through its HTTP function. */
    FakeRequest.Response call(int index, FakeRequest req) {
        return call(index, req, null);
    }

    /** As above, in the given invocation context (the host's trace context, function name). */
    FakeRequest.Response call(int index, FakeRequest req, ExecutionContext context) {
        // The instance is handed to the function directly: calls to different instances may run at once.
        FrontfaceApp app = frontfaces.get(index).app();
        return (FakeRequest.Response) FrontfaceFunctions.serve(req, context, () -> app);
    }

    /** A request as {@link #CALLER} would send it. */
    private FakeRequest signedIn(HttpMethod method, String path, String body) {
        return new FakeRequest(method, path, body).header("Authorization", "Bearer " + token(CALLER));
    }

    FakeRequest.Response acquire(int index, String slot, String body, String key) {
        FakeRequest req = signedIn(HttpMethod.POST, "/api/v1/locks/" + slot, body);
        if (key != null) {
            req.header("Idempotency-Key", key);
        }
        return call(index, req);
    }

    FakeRequest.Response get(int index, String path) {
        return call(index, signedIn(HttpMethod.GET, path, null));
    }

    FakeRequest.Response delete(int index, String path) {
        return call(index, signedIn(HttpMethod.DELETE, path, null));
    }

    static JsonNode json(FakeRequest.Response r) {
        try {
            return Json.mapper().readTree(r.text());
        } catch (IOException e) {
            throw new UncheckedIOException(r.getStatusCode() + " " + r.text(), e);
        }
    }

    @Override
    public void close() {
        if (lockkeeperHost != null) {
            lockkeeperHost.interrupt();
        }
        FrontfaceApp.install(null);
        LockkeeperApp.install(null);
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort: the next test gets a database of its own
            }
        }
    }
}
