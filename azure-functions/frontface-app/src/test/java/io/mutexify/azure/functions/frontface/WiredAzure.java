package io.mutexify.azure.functions.frontface;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
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
import io.mutexify.model.json.Json;
import io.mutexify.model.machine.Policy;
import io.mutexify.model.port.Telemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The whole Azure shape in one JVM, signing in as the function app does: Frontface HTTP function →
 * command message on the slot's session → Lockkeeper Service Bus function → Cosmos DB (the protocol
 * test server) → reply message on the Frontface's session → HTTP response. The Frontface's settings
 * are read by {@link FrontfaceSettings#fromEnvironment} from app settings that point Google sign-in
 * at a {@link LocalGoogle}, and its handler is {@link FrontfaceApp#handler}; Service Bus is
 * {@link InMemoryServiceBus} behind mocks of the SDK clients. Only inside a class extended with
 * {@code CosmosTestServer}; one at a time (it installs the JVM's apps).
 */
final class WiredAzure implements AutoCloseable {
    static final String REQUESTS = "mutexify-requests";
    static final String REPLIES = "mutexify-replies";

    /** Route templates of the Frontface functions, most specific first, and the entry point serving each. */
    private static final Map<Pattern, BiFunction<FrontfaceFunctions, FakeRequest, HttpResponseMessage>> ROUTES =
            new java.util.LinkedHashMap<>();

    static {
        ROUTES.put(Pattern.compile("/api/v1/locks/[^/]+/[^/]+"), (f, r) -> f.lockByToken(r, null));
        ROUTES.put(Pattern.compile("/api/v1/locks/[^/]+"), (f, r) -> f.lock(r, null));
        ROUTES.put(Pattern.compile("/api/v1/slots/[^/]+/break"), (f, r) -> f.slotBreak(r, null));
        ROUTES.put(Pattern.compile("/api/v1/slots/[^/]+/history"), (f, r) -> f.slotHistory(r, null));
        ROUTES.put(Pattern.compile("/api/v1/slots/[^/]+"), (f, r) -> f.slot(r, null));
        ROUTES.put(Pattern.compile("/api/v1/slots"), (f, r) -> f.slots(r, null));
        ROUTES.put(Pattern.compile("/api/v1/requests/[^/]+"), (f, r) -> f.request(r, null));
        ROUTES.put(Pattern.compile("/api/v1/me"), (f, r) -> f.me(r, null));
        ROUTES.put(Pattern.compile("/api/v1/keys/[^/]+"), (f, r) -> f.key(r, null));
        ROUTES.put(Pattern.compile("/api/v1/keys"), (f, r) -> f.keys(r, null));
        ROUTES.put(Pattern.compile("/api/v1/auth/[^/]+"), (f, r) -> f.auth(r, null));
        ROUTES.put(Pattern.compile("/ui(/[^/]*)?"), (f, r) -> f.ui(r, null));
        ROUTES.put(Pattern.compile("/healthz"), (f, r) -> f.healthz(r, null));
        ROUTES.put(Pattern.compile("/readyz"), (f, r) -> f.readyz(r, null));
    }

    final InMemoryServiceBus bus = new InMemoryServiceBus(3);
    final LocalGoogle google = new LocalGoogle();
    final FrontfaceSettings settings;
    final CosmosSlotStore frontStore;
    private final CosmosSlotStore keeperStore;
    private final Thread lockkeeperHost;
    private final ServiceBusReplyReceiver receiver;
    private final FrontfaceFunctions functions = new FrontfaceFunctions();

    /** Wires it all; {@code appSettings} are added to (or replace) the Frontface's app settings. */
    WiredAzure(Map<String, String> appSettings) {
        CosmosSettings db = CosmosFixture.freshSettings();
        Map<String, String> env = new HashMap<>();
        env.put("COSMOS_ENDPOINT", db.endpoint());
        env.put("COSMOS_KEY", db.key());
        env.put("COSMOS_DATABASE", db.database());
        env.put("COSMOS_CONTAINER", db.container());
        env.put("SERVICEBUS_CONNECTION", "Endpoint=sb://in-memory.servicebus.windows.net/;SharedAccessKeyName=test;SharedAccessKey=unused");
        env.put("MUTEXIFY_GOOGLE_CLIENT_IDS", LocalGoogle.CLIENT_ID);
        env.put("MUTEXIFY_GOOGLE_CERTS_URL", google.certsUrl());
        env.put("MUTEXIFY_REPLY_TIMEOUT_MS", "15000");
        env.putAll(appSettings);
        settings = FrontfaceSettings.fromEnvironment(env);
        keeperStore = CosmosFixture.open(settings.cosmos());
        frontStore = CosmosFixture.open(settings.cosmos());

        LockkeeperApp.install(new LockkeeperApp(keeperStore, new ServiceBusReplySink(bus::sender),
                new ServiceBusCommandQueue(bus.sender(REQUESTS), null, null), Policy.defaults(), Telemetry.NONE, null, 3,
                Duration.ofHours(24)));
        LockkeeperFunctions keeper = new LockkeeperFunctions();
        lockkeeperHost = bus.consume(REQUESTS, m -> keeper.lockkeeper(new String(m.body(), StandardCharsets.UTF_8),
                m.sessionId(), m.messageId(), m.replyTo(), m.replyToSessionId(), m.deliveryCount(),
                m.properties(), null));

        ReplyWaiter replies = new ReplyWaiter();
        receiver = new ServiceBusReplyReceiver(bus.sessionReceiver(REPLIES), "ff-wired", replies);
        receiver.start();
        ServiceBusCommandQueue queue = new ServiceBusCommandQueue(bus.sender(REQUESTS), REPLIES, "ff-wired");
        FrontfaceApp.install(new FrontfaceApp(FrontfaceApp.handler(settings.access(), frontStore.apiKeys(), frontStore,
                queue, replies, new PollingSlotWatch(frontStore, Duration.ofMillis(100)), settings.replyTimeout(),
                () -> frontStore.isReachable() && queue.isReachable()), Telemetry.NONE));
    }

    /** A Google ID token for {@code email}, signed by the local key the app's certificate URL serves. */
    String googleToken(String email) {
        return google.mint(LocalGoogle.claims(email));
    }

    /** Calls the Frontface function whose route matches {@code path} (its entry point, as the Functions host would). */
    FakeRequest.Response call(String method, String pathAndQuery, String body, String bearer, String... headers) {
        FakeRequest req = new FakeRequest(HttpMethod.value(method), pathAndQuery, body);
        if (bearer != null) {
            req.header("Authorization", "Bearer " + bearer);
        }
        for (int i = 0; i < headers.length; i += 2) {
            req.header(headers[i], headers[i + 1]);
        }
        return serve(req);
    }

    /** Hands {@code req} to the Frontface function whose route matches its path. */
    FakeRequest.Response serve(FakeRequest req) {
        String path = req.getUri().getRawPath();
        Optional<BiFunction<FrontfaceFunctions, FakeRequest, HttpResponseMessage>> fn = ROUTES.entrySet().stream()
                .filter(e -> e.getKey().matcher(path).matches()).map(Map.Entry::getValue).findFirst();
        return (FakeRequest.Response) fn.orElseThrow(() -> new IllegalArgumentException("no function serves " + path))
                .apply(functions, req);
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
        lockkeeperHost.interrupt();
        receiver.close();
        FrontfaceApp.install(null);
        LockkeeperApp.install(null);
        frontStore.close();
        keeperStore.close();
        google.close();
    }
}
