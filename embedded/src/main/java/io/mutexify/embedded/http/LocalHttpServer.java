package io.mutexify.embedded.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.mutexify.frontface.ApiHandler;
import io.mutexify.frontface.http.ApiRequest;
import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.model.slot.Limits;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.eclipse.jetty.http.UriCompliance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's HTTP server: a thin Javalin shell that hands every request to the same
 * {@link ApiHandler} the Azure Functions use. Only {@code /metrics} is answered here.
 */
public final class LocalHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalHttpServer.class);
    private static final List<HandlerType> METHODS = List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT,
            HandlerType.PATCH, HandlerType.DELETE, HandlerType.HEAD, HandlerType.OPTIONS);

    private final Javalin app;
    private final ApiHandler api;
    private final Supplier<String> metrics;

    public LocalHttpServer(ApiHandler api, Supplier<String> metrics) {
        this.api = api;
        this.metrics = metrics;
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            // Read a little more than the API allows, so an oversize body is answered by the API's own 413.
            cfg.http.maxRequestSize = Limits.MAX_BODY_BYTES + 1024L;
            // Let every path reach the API, which answers odd ones with its own JSON 400/404.
            cfg.jetty.modifyHttpConfiguration(hc -> hc.setUriCompliance(UriCompliance.LEGACY));
            // On stop, stop accepting and give calls in flight up to 5 s to get their answers out.
            cfg.jetty.modifyServer(server -> server.setStopTimeout(5_000));
        });
        for (HandlerType method : METHODS) {
            app.addHttpHandler(method, "/<path>", this::serve);
            app.addHttpHandler(method, "/", this::serve);
        }
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
        return this;
    }

    public int port() {
        return app.port();
    }

    private void serve(Context ctx) {
        if (ctx.path().equals("/metrics") && ctx.method() == HandlerType.GET) {
            ctx.contentType("text/plain; version=0.0.4").result(metrics.get());
            return;
        }
        long declared = ctx.contentLength();
        if (declared > Limits.MAX_BODY_BYTES) {
            write(ctx, ApiResponse.error(413, "body_too_large", "request body must be at most " + Limits.MAX_BODY_BYTES + " bytes"));
            return;
        }
        Map<String, String> query = new HashMap<>();
        ctx.queryParamMap().forEach((k, v) -> {
            if (!v.isEmpty()) {
                query.put(k, v.get(0));
            }
        });
        ApiRequest req = new ApiRequest(ctx.method().name(), ctx.path(), query, ctx::header, ctx.bodyAsBytes());
        CompletableFuture<ApiResponse> answer = api.handle(req);
        ctx.future(() -> answer.thenAccept(resp -> write(ctx, resp)));
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
        app.stop();
    }
}
