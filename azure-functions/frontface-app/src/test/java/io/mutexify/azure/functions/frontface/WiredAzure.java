package io.mutexify.azure.functions.frontface;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpStatus;
import io.mutexify.azure.cosmos.CosmosSlotStore;
import io.mutexify.frontface.auth.LocalGoogle;
import io.mutexify.model.port.Telemetry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;

/**
 * The whole Azure shape in one JVM as one client sees it: an {@link AzureRig} with its Lockkeeper
 * and one Frontface instance. A call goes Frontface HTTP function (the one whose route matches, as
 * the Functions host picks it) → command message on the slot's session → Lockkeeper Service Bus
 * function → Cosmos DB (the protocol test server) → reply message on the Frontface's session → HTTP
 * response. Only inside a class extended with {@code CosmosTestServer}; one at a time.
 */
final class WiredAzure implements AutoCloseable {
    private final AzureRig rig = new AzureRig(3);
    final InMemoryServiceBus bus = rig.bus;
    final LocalGoogle google = rig.google;
    final FrontfaceSettings settings;
    final CosmosSlotStore frontStore;
    private final FrontfaceFunctions functions = new FrontfaceFunctions();

    /** Wires it all; {@code appSettings} are added to (or replace) the Frontface's app settings. */
    WiredAzure(Map<String, String> appSettings) {
        rig.startLockkeeper();
        AzureRig.Frontface frontface = rig.frontface(rig.addFrontface(Duration.ofSeconds(15), Duration.ofSeconds(10),
                Telemetry.NONE, appSettings));
        settings = frontface.settings();
        frontStore = frontface.store();
        // The functions' entry points serve the JVM's app, as the Functions host runs them.
        FrontfaceApp.install(frontface.app());
    }

    /** A Google ID token for {@code email}, signed by the local key the app's certificate URL serves. */
    String googleToken(String email) {
        return rig.token(email);
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
        Method fn = FunctionRoutes.serving(req.getUri().getRawPath());
        if (fn == null) {
            // As the Functions host: a path no function's route matches never reaches the app.
            return (FakeRequest.Response) req.createResponseBuilder(HttpStatus.NOT_FOUND).build();
        }
        try {
            return (FakeRequest.Response) fn.invoke(functions, req, null);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(FakeRequest.Response r) {
        return AzureRig.json(r);
    }

    @Override
    public void close() {
        rig.close();
    }
}
