package io.mutexify.azure.functions.frontface;

import static com.microsoft.azure.functions.HttpMethod.DELETE;
import static com.microsoft.azure.functions.HttpMethod.GET;
import static com.microsoft.azure.functions.HttpMethod.HEAD;
import static com.microsoft.azure.functions.HttpMethod.OPTIONS;
import static com.microsoft.azure.functions.HttpMethod.PATCH;
import static com.microsoft.azure.functions.HttpMethod.POST;
import static com.microsoft.azure.functions.HttpMethod.PUT;
import static com.microsoft.azure.functions.annotation.AuthorizationLevel.ANONYMOUS;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.TraceContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.mutexify.azure.insights.OperationIds;
import io.mutexify.frontface.http.ApiRequest;
import io.mutexify.frontface.http.ApiResponse;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of {@code ApiRoutes} as HTTP-triggered functions: one function per route template, each a
 * line that hands the call to the same {@code ApiHandler} the embedded server uses (which routes again
 * by method and path, so behaviour is identical). With an empty {@code routePrefix} in host.json the
 * routes carry the whole path. A template's methods are the table's, HEAD with every GET. The table's
 * routes that Azure has not are left out: the dev sign-in and {@code /metrics} (features the app never
 * turns on) and the bare root (no function route can be; the page is at {@code /ui/} too).
 *
 * <p>Every route is {@code authLevel = ANONYMOUS}: identity is the ApiHandler's business (Google ID
 * tokens and API keys, checked on every call, as on the embedded server), not the Functions host's
 * keys, which would make every holder the same caller. The web UI's files hold no secrets; every call
 * they make is an API call with its own credentials. API routes take {@code OPTIONS} too, so a
 * browser's CORS preflight reaches the ApiHandler, which answers it for the origins in
 * {@code MUTEXIFY_CORS_ORIGINS} (the function app's own CORS setting must stay empty).
 */
public final class FrontfaceFunctions {
    private static final Logger log = LoggerFactory.getLogger(FrontfaceFunctions.class);
    private static final String BINARY = "binary";

    // One line a function, so the list reads as a table; FunctionRoutesTest holds it to ApiRoutes.
    @FunctionName("lockAcquireOrStatus") public HttpResponseMessage lock(@HttpTrigger(name = "req", route = "api/v1/locks/{slot}", methods = {GET, HEAD, POST, OPTIONS}, authLevel = ANONYMOUS, dataType = BINARY) HttpRequestMessage<Optional<byte[]>> r, ExecutionContext c) { return serve(r, c); }
    @FunctionName("lockByToken") public HttpResponseMessage lockByToken(@HttpTrigger(name = "req", route = "api/v1/locks/{slot}/{token}", methods = {GET, HEAD, PUT, DELETE, OPTIONS}, authLevel = ANONYMOUS, dataType = BINARY) HttpRequestMessage<Optional<byte[]>> r, ExecutionContext c) { return serve(r, c); }
    @FunctionName("slots") public HttpResponseMessage slots(@HttpTrigger(name = "req", route = "api/v1/slots", methods = {GET, HEAD, POST, OPTIONS}, authLevel = ANONYMOUS, dataType = BINARY) HttpRequestMessage<Optional<byte[]>> r, ExecutionContext c) { return serve(r, c); }
    @FunctionName("slot") public HttpResponseMessage slot(@HttpTrigger(name = "req", route = "api/v1/slots/{slot}", methods = {GET, HEAD, PATCH, DELETE, OPTIONS}, authLevel = ANONYMOUS, dataType = BINARY) HttpRequestMessage<Optional<byte[]>> r, ExecutionContext c) { return serve(r, c); }
    @FunctionName("slotBreak") public HttpResponseMessage slotBreak(@HttpTrigger(name = "req", route = "api/v1/slots/{slot}/break", methods = {POST, OPTIONS}, authLevel = ANONYMOUS, dataType = BINARY) HttpRequestMessage<Optional<byte[]>> r, ExecutionContext c) { return serve(r, c); }
    @FunctionName("slotHistory") public HttpResponseMessage slotHistory(@HttpTrigger(name = "req", route = "api/v1/slots/{slot}/history", methods = {GET, HEAD, OPTIONS}, authLevel = ANONYMOUS, dataType = BINARY) HttpRequestMessage<Optional<byte[]>> r, ExecutionContext c) { return serve(r, c); }
    @FunctionName("request") public HttpResponseMessage request(@HttpTrigger(name = "req", route = "api/v1/requests/{id}", methods = {GET, HEAD, DELETE, OPTIONS}, authLevel = ANONYMOUS, dataType = BINARY) HttpRequestMessage<Optional<byte[]>> r, ExecutionContext c) { return serve(r, c); }
    @FunctionName("me") public HttpResponseMessage me(@HttpTrigger(name = "req", route = "api/v1/me", methods = {GET, HEAD, OPTIONS}, authLevel = ANONYMOUS, dataType = BINARY) HttpRequestMessage<Optional<byte[]>> r, ExecutionContext c) { return serve(r, c); }
    @FunctionName("ownLocks") public HttpResponseMessage ownLocks(@HttpTrigger(name = "req", route = "api/v1/me/locks", methods = {GET, HEAD, OPTIONS}, authLevel = ANONYMOUS, dataType = BINARY) HttpRequestMessage<Optional<byte[]>> r, ExecutionContext c) { return serve(r, c); }
    @FunctionName("keys") public HttpResponseMessage keys(@HttpTrigger(name = "req", route = "api/v1/keys", methods = {GET, HEAD, POST, OPTIONS}, authLevel = ANONYMOUS, dataType = BINARY) HttpRequestMessage<Optional<byte[]>> r, ExecutionContext c) { return serve(r, c); }
    @FunctionName("key") public HttpResponseMessage key(@HttpTrigger(name = "req", route = "api/v1/keys/{id}", methods = {DELETE, OPTIONS}, authLevel = ANONYMOUS, dataType = BINARY) HttpRequestMessage<Optional<byte[]>> r, ExecutionContext c) { return serve(r, c); }
    @FunctionName("authConfig") public HttpResponseMessage authConfig(@HttpTrigger(name = "req", route = "api/v1/auth/config", methods = {GET, HEAD, OPTIONS}, authLevel = ANONYMOUS, dataType = BINARY) HttpRequestMessage<Optional<byte[]>> r, ExecutionContext c) { return serve(r, c); }
    @FunctionName("openApi") public HttpResponseMessage openApi(@HttpTrigger(name = "req", route = "api/v1/openapi.json", methods = {GET, HEAD, OPTIONS}, authLevel = ANONYMOUS, dataType = BINARY) HttpRequestMessage<Optional<byte[]>> r, ExecutionContext c) { return serve(r, c); }
    @FunctionName("ui") public HttpResponseMessage ui(@HttpTrigger(name = "req", route = "ui/{file?}", methods = {GET, HEAD}, authLevel = ANONYMOUS, dataType = BINARY) HttpRequestMessage<Optional<byte[]>> r, ExecutionContext c) { return serve(r, c); }
    @FunctionName("healthz") public HttpResponseMessage healthz(@HttpTrigger(name = "req", route = "healthz", methods = {GET, HEAD}, authLevel = ANONYMOUS, dataType = BINARY) HttpRequestMessage<Optional<byte[]>> r, ExecutionContext c) { return serve(r, c); }
    @FunctionName("readyz") public HttpResponseMessage readyz(@HttpTrigger(name = "req", route = "readyz", methods = {GET, HEAD}, authLevel = ANONYMOUS, dataType = BINARY) HttpRequestMessage<Optional<byte[]>> r, ExecutionContext c) { return serve(r, c); }

    /**
     * Converts, calls the ApiHandler with the operation id set (it follows the command onto the queue
     * and tags the telemetry), records the call's duration and outcome, converts back.
     */
    static HttpResponseMessage serve(HttpRequestMessage<Optional<byte[]>> req, ExecutionContext context) {
        return serve(req, context, FrontfaceApp::get);
    }

    /** As above, with the app from {@code app}: when it cannot be built (bad settings), every call answers 503. */
    static HttpResponseMessage serve(HttpRequestMessage<Optional<byte[]>> req, ExecutionContext context,
                                     Supplier<FrontfaceApp> app) {
        ApiRequest api = HttpBridge.toApiRequest(req);
        FrontfaceApp frontface;
        try {
            frontface = app.get();
        } catch (IllegalArgumentException badSettings) {
            // The message names the setting; it goes to the log, not to anonymous callers.
            log.error("the Frontface cannot start: {}", badSettings.getMessage());
            return HttpBridge.toResponse(req, ApiResponse.error(503, "not_configured",
                    "the service is not configured; its log names the setting to fix"), api.method().equals("HEAD"));
        }
        String operation = OperationIds.forInvocation(traceparent(context),
                OperationIds.fromTraceparent(api.header("traceparent")), context == null ? null : context.getInvocationId());
        ApiResponse res = OperationIds.with(operation, () -> {
            long started = System.nanoTime();
            ApiResponse r = frontface.api().handle(api).join();
            CallTelemetry.record(frontface.telemetry(), context == null ? null : context.getFunctionName(), r.status(),
                    System.nanoTime() - started);
            return r;
        });
        return HttpBridge.toResponse(req, res, api.method().equals("HEAD"));
    }

    /** The invocation's W3C traceparent from the host, or null (older hosts, tests without one). */
    static String traceparent(ExecutionContext context) {
        TraceContext trace = context == null ? null : context.getTraceContext();
        return trace == null ? null : trace.getTraceparent();
    }
}
