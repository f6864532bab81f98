package io.mutexify.embedded.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.mutexify.frontface.ApiHandler;
import io.mutexify.frontface.http.ApiRequest;
import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.model.slot.Limits;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's HTTP server: a thin Javalin shell that hands every request to the same
 * {@link ApiHandler} the Azure Functions use, which answers every path, {@code /metrics} too. A request's
 * head is admitted (host, size, content type, credentials) before its body is read, and Jetty's
 * own means bound what a slow client can hold: a minimum body data rate, an idle timeout, a
 * deadline for headers and a cap on connections per client address.
 */
public final class LocalHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalHttpServer.class);
    private static final List<HandlerType> METHODS = List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT,
            HandlerType.PATCH, HandlerType.DELETE, HandlerType.HEAD, HandlerType.OPTIONS, HandlerType.TRACE,
            HandlerType.CONNECT);

    /** A body slower than this on average (a byte every few seconds), after a grace period, is cut off with 408. */
    static final long MIN_BODY_BYTES_PER_SECOND = 1024;
    static final Duration BODY_GRACE = Duration.ofSeconds(2);
    /** A connection with nothing to do (no request in progress and none arriving) is closed. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** A request's headers must have arrived this long after their first byte. */
    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(10);

    private final Javalin app;
    private final ApiHandler api;
    private final ConnectionGuard guard;
    private final AsyncBodyReader bodies = new AsyncBodyReader(MIN_BODY_BYTES_PER_SECOND, BODY_GRACE);
    private final ClientGoneWatcher clientGone = new ClientGoneWatcher();

    /** {@code maxConnectionsPerAddress}: open connections one client address may hold. */
    public LocalHttpServer(ApiHandler api, int maxConnectionsPerAddress) {
        this.api = api;
        this.guard = new ConnectionGuard(maxConnectionsPerAddress, HEADER_TIMEOUT);
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            // Read a little more than the API allows, so an oversize body is answered by the API's own 413.
            cfg.http.maxRequestSize = Limits.MAX_BODY_BYTES + 1024L;
            // Let every path reach the API, which answers odd ones with its own JSON 400/404.
            cfg.jetty.modifyHttpConfiguration(hc -> hc.setUriCompliance(UriCompliance.LEGACY));
            // On stop, stop accepting and give calls in flight up to 5 s to get their answers out.
            cfg.jetty.modifyServer(server -> server.setStopTimeout(5_000));
            // What Jetty still refuses itself (unparsable request lines and headers, %00, paths above the
            // root, oversize URIs and headers) is answered with the API's JSON error body, not an HTML page.
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler()));
        });
        for (HandlerType method : METHODS) {
            app.addHttpHandler(method, "/<path>", this::serve);
            app.addHttpHandler(method, "/", this::serve);
        }
        // Javalin's own refusals (a method it has no name for, a body over its size limit) in JSON too.
        app.exception(HttpResponseException.class, (e, ctx) -> write(ctx, shellRefusal(ctx, e.getStatus())));
        app.exception(Exception.class, (e, ctx) -> {
            log.error("unhandled failure in the HTTP shell", e);
            write(ctx, ApiResponse.error(500, "internal", "unexpected server error"));
        });
        app.error(404, ctx -> {
            if (ctx.result() == null) {
                write(ctx, ApiResponse.error(404, "not_found", "no such endpoint"));
            }
        });
        app.error(413, ctx -> write(ctx, ApiResponse.error(413, "body_too_large",
                "request body must be at most " + Limits.MAX_BODY_BYTES + " bytes")));
    }

    /** Starts listening on {@code host:port} (port 0 picks a free one). */
    public LocalHttpServer start(String host, int port) {
        app.start(host, port);
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof AbstractConnector connector) {
                connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
                connector.addEventListener(guard);
            }
        }
        return this;
    }

    public int port() {
        return app.port();
    }

    private void serve(Context ctx) {
        Map<String, String> query;
        try {
            query = queryParams(ctx.queryString());
        } catch (IllegalArgumentException e) {
            write(ctx, ApiResponse.error(400, "invalid_query", "the query string has a malformed %-escape"));
            return;
        }
        SocketCallWatch watch = new SocketCallWatch(clientGone, ctx.req());
        ApiRequest head = new ApiRequest(ctx.req().getMethod(), ctx.path(), query, ctx::header, new byte[0],
                ctx.req().getRemoteAddr(), watch);
        // Everything the head decides comes before the body is read: a caller without credentials,
        // or with a body too big or of the wrong type, never gets a thread to wait on its body.
        ApiHandler.Admission admitted = api.admit(head);
        if (admitted.refused()) {
            write(ctx, hasBody(ctx) ? admitted.refusal().withHeader("Connection", "close") : admitted.refusal());
            return;
        }
        if (!hasBody(ctx)) {
            CompletableFuture<ApiResponse> answer = api.handle(head, admitted);
            ctx.future(() -> answer.thenAccept(resp -> write(ctx, watched(watch, resp))));
            return;
        }
        // The body is read without a thread waiting on it; a client that sends it too slowly gets 408.
        ctx.future(() -> bodies.read(ctx.req(), Limits.MAX_BODY_BYTES)
                .thenCompose(body -> api.handle(head.withBody(body), admitted))
                .exceptionally(LocalHttpServer::unreadableBody)
                .thenAccept(resp -> write(ctx, watched(watch, resp))));
    }

    /** A connection watched for its client going away is closed after its answer (the watch read from it). */
    private static ApiResponse watched(SocketCallWatch watch, ApiResponse resp) {
        return watch.answering() ? resp.withHeader("Connection", "close") : resp;
    }

    private static boolean hasBody(Context ctx) {
        return ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
    }

    /**
     * The first value of each query parameter. Javalin silently drops a parameter whose %-escape is
     * malformed ({@code ?index=%ZZ}), which would turn a long-poll into an immediate answer; here it
     * is an {@link IllegalArgumentException}, answered 400.
     */
    static Map<String, String> queryParams(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(key, value);
        }
        return out;
    }

    /**
     * A method Javalin does not know (e.g. {@code PROPFIND}) never reaches a handler and ends as its
     * "endpoint not found": let the API answer instead, so a known path gets its 405 with
     * {@code Allow}. The API refuses a method it does not take before dispatching anything, so its
     * answer is already complete.
     */
    private ApiResponse shellRefusal(Context ctx, int status) {
        if (status == 404 && ctx.method() == HandlerType.INVALID) {
            ApiRequest req = new ApiRequest(ctx.req().getMethod(), ctx.path(), Map.of(), ctx::header, new byte[0]);
            ApiResponse answer = api.handle(req).getNow(null);
            if (answer != null && answer.status() >= 400 && answer.status() < 500) {
                return answer;
            }
            return ShellErrors.of(405, null);
        }
        return ShellErrors.of(status, null);
    }

    /** A body that could not be read: the client's fault (api.handle itself never fails), and the connection is done. */
    private static ApiResponse unreadableBody(Throwable e) {
        ApiResponse answer = null;
        for (Throwable t = e; t != null && answer == null; t = t.getCause()) {
            if (t instanceof AsyncBodyReader.TooSlow || t instanceof TimeoutException) {
                answer = ShellErrors.of(408, null);
            } else if (t instanceof AsyncBodyReader.TooLarge) {
                answer = ApiResponse.error(413, "body_too_large", "request body must be at most " + Limits.MAX_BODY_BYTES + " bytes");
            }
        }
        if (answer == null) {
            log.debug("request body could not be read", e);
            answer = ApiResponse.error(400, "invalid_body",
                    "the request body could not be read (broken chunking, or shorter than its Content-Length)");
        }
        return answer.withHeader("Connection", "close");
    }

    private static void write(Context ctx, ApiResponse resp) {
        ctx.status(resp.status());
        resp.headers().forEach(ctx::header);
        if (resp.body().length > 0) {
            ctx.result(resp.body());
        } else {
            ctx.result(new byte[0]);
        }
    }

    @Override
    public void close() {
        try {
            app.stop();
        } catch (RuntimeException notGraceful) {
            // Calls still open after the stop timeout are cut off; the rest of the shutdown (queue, store)
            // must go on regardless, or a SIGTERM would leave the store unclosed.
            log.warn("HTTP calls still open after the graceful stop timeout were cut off: {}", notGraceful.toString());
        }
        guard.close();
        bodies.close();
        clientGone.close();
    }
}
