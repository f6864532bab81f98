package io.mutexify.azure.functions.frontface;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.TraceContext;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
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
 * REST API v1 as HTTP-triggered functions: one function per route template, every one delegating to
 * the same {@code ApiHandler} the embedded server uses (which routes again by method and path, so
 * behaviour is identical). With an empty {@code routePrefix} in host.json the routes carry the whole path, so
 * they are exactly docs/design.md's: {@code /api/v1/...}, and the health probes {@code /healthz} and {@code /readyz}.
 *
 * <p>Every route is {@code authLevel = ANONYMOUS}: identity is the ApiHandler's business (Google ID
 * tokens and API keys, checked on every call, as on the embedded server), not the Functions host's
 * keys, which would make every holder the same caller. {@code v1/auth/{what}} answers the UI's
 * {@code /api/v1/auth/config} without credentials; there is no dev sign-in on Azure. API routes take
 * {@code OPTIONS} too, so a browser's CORS preflight reaches the ApiHandler, which answers it for the
 * origins in {@code MUTEXIFY_CORS_ORIGINS} (the function app's own CORS setting must stay empty).
 */
public final class FrontfaceFunctions {
    private static final Logger log = LoggerFactory.getLogger(FrontfaceFunctions.class);
    private static final String BINARY = "binary";

    @FunctionName("lockAcquireOrStatus")
    public HttpResponseMessage lock(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST, HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS},
                    route = "api/v1/locks/{resource}", authLevel = AuthorizationLevel.ANONYMOUS, dataType = BINARY)
            HttpRequestMessage<Optional<byte[]>> req, ExecutionContext context) {
        return serve(req, context);
    }

    @FunctionName("lockByToken")
    public HttpResponseMessage lockByToken(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.DELETE,
                    HttpMethod.OPTIONS},
                    route = "api/v1/locks/{resource}/{token}", authLevel = AuthorizationLevel.ANONYMOUS, dataType = BINARY)
            HttpRequestMessage<Optional<byte[]>> req, ExecutionContext context) {
        return serve(req, context);
    }

    @FunctionName("slots")
    public HttpResponseMessage slots(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.OPTIONS},
                    route = "api/v1/slots", authLevel = AuthorizationLevel.ANONYMOUS, dataType = BINARY)
            HttpRequestMessage<Optional<byte[]>> req, ExecutionContext context) {
        return serve(req, context);
    }

    @FunctionName("slot")
    public HttpResponseMessage slot(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PATCH, HttpMethod.DELETE,
                    HttpMethod.OPTIONS},
                    route = "api/v1/slots/{id}", authLevel = AuthorizationLevel.ANONYMOUS, dataType = BINARY)
            HttpRequestMessage<Optional<byte[]>> req, ExecutionContext context) {
        return serve(req, context);
    }

    @FunctionName("slotBreak")
    public HttpResponseMessage slotBreak(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST, HttpMethod.OPTIONS},
                    route = "api/v1/slots/{id}/break", authLevel = AuthorizationLevel.ANONYMOUS, dataType = BINARY)
            HttpRequestMessage<Optional<byte[]>> req, ExecutionContext context) {
        return serve(req, context);
    }

    @FunctionName("slotHistory")
    public HttpResponseMessage slotHistory(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS},
                    route = "api/v1/slots/{id}/history", authLevel = AuthorizationLevel.ANONYMOUS, dataType = BINARY)
            HttpRequestMessage<Optional<byte[]>> req, ExecutionContext context) {
        return serve(req, context);
    }

    @FunctionName("request")
    public HttpResponseMessage request(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS},
                    route = "api/v1/requests/{id}", authLevel = AuthorizationLevel.ANONYMOUS, dataType = BINARY)
            HttpRequestMessage<Optional<byte[]>> req, ExecutionContext context) {
        return serve(req, context);
    }

    @FunctionName("me")
    public HttpResponseMessage me(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS},
                    route = "api/v1/me", authLevel = AuthorizationLevel.ANONYMOUS, dataType = BINARY)
            HttpRequestMessage<Optional<byte[]>> req, ExecutionContext context) {
        return serve(req, context);
    }

    @FunctionName("keys")
    public HttpResponseMessage keys(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.OPTIONS},
                    route = "api/v1/keys", authLevel = AuthorizationLevel.ANONYMOUS, dataType = BINARY)
            HttpRequestMessage<Optional<byte[]>> req, ExecutionContext context) {
        return serve(req, context);
    }

    @FunctionName("key")
    public HttpResponseMessage key(
            @HttpTrigger(name = "req", methods = {HttpMethod.DELETE, HttpMethod.OPTIONS},
                    route = "api/v1/keys/{id}", authLevel = AuthorizationLevel.ANONYMOUS, dataType = BINARY)
            HttpRequestMessage<Optional<byte[]>> req, ExecutionContext context) {
        return serve(req, context);
    }

    /** How to sign in, and the dev sign-in: the API's public calls. */
    @FunctionName("auth")
    public HttpResponseMessage auth(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.OPTIONS},
                    route = "api/v1/auth/{what}", authLevel = AuthorizationLevel.ANONYMOUS, dataType = BINARY)
            HttpRequestMessage<Optional<byte[]>> req, ExecutionContext context) {
        return serve(req, context);
    }

    /**
     * The web UI's files ({@code /ui} and {@code /ui/app.js} …), the same the local server serves,
     * answered by the same ApiHandler. Anonymous: the files hold no secrets; every call they make is
     * an API call and carries its own credentials.
     */
    @FunctionName("ui")
    public HttpResponseMessage ui(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET, HttpMethod.HEAD},
                    route = "ui/{file?}", authLevel = AuthorizationLevel.ANONYMOUS, dataType = BINARY)
            HttpRequestMessage<Optional<byte[]>> req, ExecutionContext context) {
        return serve(req, context);
    }

    @FunctionName("healthz")
    public HttpResponseMessage healthz(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET, HttpMethod.HEAD},
                    route = "healthz", authLevel = AuthorizationLevel.ANONYMOUS, dataType = BINARY)
            HttpRequestMessage<Optional<byte[]>> req, ExecutionContext context) {
        return serve(req, context);
    }

    @FunctionName("readyz")
    public HttpResponseMessage readyz(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET, HttpMethod.HEAD},
                    route = "readyz", authLevel = AuthorizationLevel.ANONYMOUS, dataType = BINARY)
            HttpRequestMessage<Optional<byte[]>> req, ExecutionContext context) {
        return serve(req, context);
    }

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
