package io.mutexify.embedded.http;

import io.mutexify.frontface.ApiHandler;
import io.mutexify.frontface.http.ApiRequest;
import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.model.slot.Limits;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's HTTP server: one Jetty handler that hands every request to the same
 * {@link ApiHandler} the Azure Functions use, with no web framework in between (a lock cycle is two
 * small calls, so per-request overhead is most of the server's work); the handler answers every
 * path, {@code /metrics} too. A request's head is admitted (host, size, content type, credentials) before its
 * body is read, and Jetty's own means bound what a slow client can hold: a minimum body data rate,
 * an idle timeout, a deadline for headers and a cap on connections per client address.
 */
public final class LocalHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalHttpServer.class);

    /** A body slower than this on average (a byte every few seconds), after a grace period, is cut off with 408. */
    static final long MIN_BODY_BYTES_PER_SECOND = 1024;
    static final Duration BODY_GRACE = Duration.ofSeconds(2);
    /** A connection with nothing to do (no request in progress and none arriving) is closed. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** A request's headers must have arrived this long after their first byte. */
    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** On stop, calls in flight get this long to have their answers written. */
    private static final long STOP_TIMEOUT_MILLIS = 5_000;

    private final ApiHandler api;
    private final ConnectionGuard guard;
    private final AsyncBodyReader bodies = new AsyncBodyReader(MIN_BODY_BYTES_PER_SECOND, BODY_GRACE);
    private final ClientGoneWatcher clientGone = new ClientGoneWatcher();
    private final Server server;
    private ServerConnector connector;

    /** {@code maxConnectionsPerAddress}: open connections one client address may hold. */
    public LocalHttpServer(ApiHandler api, int maxConnectionsPerAddress) {
        this.api = api;
        this.guard = new ConnectionGuard(maxConnectionsPerAddress, HEADER_TIMEOUT);
        QueuedThreadPool threads = new QueuedThreadPool(250, 8, 60_000);
        threads.setName("mutexify-jetty");
        this.server = new Server(threads);
        server.setStopTimeout(STOP_TIMEOUT_MILLIS);
        // What Jetty refuses itself (unparsable request lines and headers, %00, paths above the root,
        // oversize URIs and headers) is answered with the API's JSON error body, not an HTML page.
        server.setErrorHandler(new JsonErrorHandler());
        // The statistics handler counts calls in flight, which is what lets a stop wait for them.
        StatisticsHandler inFlight = new StatisticsHandler();
        inFlight.setHandler(new AbstractHandler() {
            @Override
            public void handle(String target, Request base, HttpServletRequest req, HttpServletResponse res) {
                base.setHandled(true);
                serve(req, res);
            }
        });
        server.setHandler(inFlight);
    }

    /** Starts listening on {@code host:port} (port 0 picks a free one). */
    public LocalHttpServer start(String host, int port) {
        HttpConfiguration http = new HttpConfiguration();
        // Let every path reach the API, which answers odd ones with its own JSON 400/404.
        http.setUriCompliance(UriCompliance.LEGACY);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        connector.addEventListener(guard);
        server.addConnector(connector);
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return this;
    }

    public int port() {
        return connector.getLocalPort();
    }

    private void serve(HttpServletRequest req, HttpServletResponse res) {
        try {
            Map<String, String> query;
            try {
                query = queryParams(req.getQueryString());
            } catch (IllegalArgumentException e) {
                write(res, ApiResponse.error(400, "invalid_query", "the query string has a malformed %-escape"));
                return;
            }
            String path = req.getRequestURI();
            SocketCallWatch watch = new SocketCallWatch(clientGone, req);
            ApiRequest head = new ApiRequest(req.getMethod(), path, query, req::getHeader, new byte[0],
                    req.getRemoteAddr(), watch);
            // Everything the head decides comes before the body is read: a caller without credentials,
            // or with a body too big or of the wrong type, never gets a thread to wait on its body.
            ApiHandler.Admission admitted = api.admit(head);
            boolean hasBody = req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null;
            if (admitted.refused()) {
                write(res, hasBody ? admitted.refusal().withHeader("Connection", "close") : admitted.refusal());
                return;
            }
            AsyncContext async = req.startAsync();
            async.setTimeout(0); // the API bounds every wait itself (at most what a call may be held)
            CompletableFuture<ApiResponse> answer = hasBody
                    // The body is read without a thread waiting on it; a client that sends it too slowly gets 408.
                    ? bodies.read(req, Limits.MAX_BODY_BYTES)
                            .thenCompose(body -> api.handle(head.withBody(body), admitted))
                            .exceptionally(LocalHttpServer::unreadableBody)
                    : api.handle(head, admitted);
            answer.whenComplete((resp, error) -> {
                // api.handle never fails; a failure here is the shell's own bug.
                ApiResponse out = error == null ? watched(watch, resp) : internal(error);
                send(req, res, async, out);
            });
        } catch (IOException | RuntimeException e) {
            // Only a response that could not be written or a bug in this shell lands here.
            if (!res.isCommitted()) {
                try {
                    write(res, internal(e));
                } catch (IOException | RuntimeException ignored) {
                    // the connection is gone; nothing more to tell
                }
            }
        }
    }

    private static ApiResponse internal(Throwable e) {
        log.error("unhandled failure in the HTTP shell", e);
        return ApiResponse.error(500, "internal", "unexpected server error");
    }

    /** A connection watched for its client going away is closed after its answer (the watch read from it). */
    private static ApiResponse watched(SocketCallWatch watch, ApiResponse resp) {
        return watch.answering() ? resp.withHeader("Connection", "close") : resp;
    }

    /**
     * The first value of each query parameter. A parameter whose %-escape is malformed
     * ({@code ?index=%ZZ}) must not be dropped silently, which would turn a long-poll into an
     * immediate answer; here it is an {@link IllegalArgumentException}, answered 400.
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

    /**
     * Writes an answer that came later, without blocking: it may be on the thread that completes
     * commits, which a client that does not read its answers must not hold up. Jetty sends what the
     * socket takes now and the rest when it can; the call ends when all of it went (or the client left).
     */
    private static void send(HttpServletRequest req, HttpServletResponse res, AsyncContext async, ApiResponse resp) {
        Callback sent = new Callback() {
            @Override
            public void succeeded() {
                async.complete();
            }

            @Override
            public void failed(Throwable gone) {
                log.debug("answer could not be written (the client left)", gone);
                async.complete();
            }
        };
        try {
            head(res, resp);
            Request.getBaseRequest(req).getResponse().getHttpOutput().sendContent(ByteBuffer.wrap(resp.body()), sent);
        } catch (RuntimeException gone) {
            sent.failed(gone);
        }
    }

    /** Status, headers and the whole body with its length, so Jetty sends it in one go on this thread. */
    private static void write(HttpServletResponse res, ApiResponse resp) throws IOException {
        head(res, resp);
        if (resp.body().length > 0) {
            res.getOutputStream().write(resp.body());
        }
    }

    /** Status, headers and the body's length, before either way of sending the body. */
    private static void head(HttpServletResponse res, ApiResponse resp) {
        res.setStatus(resp.status());
        resp.headers().forEach(res::setHeader);
        res.setContentLength(resp.body().length);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception notGraceful) {
            // Calls still open after the stop timeout are cut off; the rest of the shutdown (queue, store)
            // must go on regardless, or a SIGTERM would leave the store unclosed.
            log.warn("HTTP calls still open after the graceful stop timeout were cut off: {}", notGraceful.toString());
        }
        guard.close();
        bodies.close();
        clientGone.close();
    }
}
