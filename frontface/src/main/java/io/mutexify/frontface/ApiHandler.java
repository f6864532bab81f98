package io.mutexify.frontface;

import io.mutexify.frontface.dispatch.CommandDispatcher;
import io.mutexify.frontface.dispatch.ReplyWaiter;
import io.mutexify.frontface.http.ApiException;
import io.mutexify.frontface.http.ApiRequest;
import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.frontface.input.SlotIds;
import io.mutexify.frontface.locks.LockRoutes;
import io.mutexify.frontface.requests.RequestRoutes;
import io.mutexify.frontface.slots.SlotRoutes;
import io.mutexify.frontface.watch.SlotWatch;
import io.mutexify.model.command.Actor;
import io.mutexify.model.port.Authenticator;
import io.mutexify.model.port.SlotReader;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API v1, independent of any HTTP server: the local server and the Azure Functions
 * call this same handler. It routes, authenticates, validates, and turns every failure into a
 * JSON error; an unexpected exception is logged and answered 500, because it is a bug.
 */
public final class ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

    private final Authenticator authenticator;
    private final LockRoutes locks;
    private final SlotRoutes slots;
    private final RequestRoutes requests;
    private final BooleanSupplier ready;

    private ApiHandler(Builder b) {
        Objects.requireNonNull(b.reader, "reader");
        Objects.requireNonNull(b.replies, "replies");
        CommandDispatcher dispatcher = new CommandDispatcher(Objects.requireNonNull(b.queue, "queue"), b.replies, b.replyTimeout);
        this.authenticator = Objects.requireNonNull(b.authenticator, "authenticator");
        this.locks = new LockRoutes(b.reader, dispatcher, b.clock);
        this.slots = new SlotRoutes(b.reader, dispatcher, Objects.requireNonNull(b.watch, "watch"), b.clock);
        this.requests = new RequestRoutes(b.reader, b.replies);
        this.ready = b.ready;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Answers {@code req}; the future never fails. */
    public CompletableFuture<ApiResponse> handle(ApiRequest req) {
        CompletableFuture<ApiResponse> answer;
        try {
            answer = route(req);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.exceptionally(e -> failure(req, e));
    }

    private CompletableFuture<ApiResponse> route(ApiRequest req) {
        String path = req.path();
        if (path.equals("/healthz")) {
            return only(req, "GET", () -> ApiResponse.json(200, Map.of("status", "ok")));
        }
        if (path.equals("/readyz")) {
            return only(req, "GET", () -> ready.getAsBoolean()
                    ? ApiResponse.json(200, Map.of("status", "ready"))
                    : ApiResponse.error(503, "not_ready", "the store or the queue is not reachable"));
        }
        if (!path.startsWith("/api/v1/")) {
            throw noRoute();
        }
        String[] s = path.substring("/api/v1/".length()).split("/", -1);
        // HEAD is GET without a body; the HTTP server drops the body.
        String m = req.method().equals("HEAD") ? "GET" : req.method();
        switch (s[0]) {
            case "locks":
                if (s.length == 2) {
                    String slot = SlotIds.require(s[1]);
                    if (m.equals("POST")) {
                        return locks.acquire(req, actor(req), slot);
                    }
                    return only(req, "GET", () -> locks.status(slot), "POST");
                }
                if (s.length == 3) {
                    String slot = SlotIds.require(s[1]);
                    String token = s[2];
                    return switch (m) {
                        case "GET" -> now(() -> locks.get(slot, token));
                        case "PUT" -> locks.extend(req, actor(req), slot, token);
                        case "DELETE" -> locks.release(req, actor(req), slot, token);
                        default -> throw methodNotAllowed("GET, PUT, DELETE");
                    };
                }
                throw noRoute();
            case "slots":
                if (s.length == 1) {
                    return switch (m) {
                        case "GET" -> slots.list(req);
                        case "POST" -> slots.create(req, actor(req));
                        default -> throw methodNotAllowed("GET, POST");
                    };
                }
                String slot = SlotIds.require(s[1]);
                if (s.length == 2) {
                    return switch (m) {
                        case "GET" -> slots.get(req, slot);
                        case "PATCH" -> slots.update(req, actor(req), slot);
                        case "DELETE" -> slots.delete(req, actor(req), slot);
                        default -> throw methodNotAllowed("GET, PATCH, DELETE");
                    };
                }
                if (s.length == 3 && s[2].equals("break")) {
                    if (!m.equals("POST")) {
                        throw methodNotAllowed("POST");
                    }
                    return slots.breakLock(req, actor(req), slot);
                }
                if (s.length == 3 && s[2].equals("history")) {
                    return only(req, "GET", () -> slots.history(req, slot));
                }
                throw noRoute();
            case "requests":
                if (s.length == 2) {
                    return only(req, "GET", () -> requests.get(s[1]));
                }
                throw noRoute();
            default:
                throw noRoute();
        }
    }

    private Actor actor(ApiRequest req) {
        return authenticator.authenticate(req::header)
                .orElseThrow(() -> new ApiException(401, "unauthenticated", "sign in or send an API key"));
    }

    private static CompletableFuture<ApiResponse> only(ApiRequest req, String method,
                                                       java.util.function.Supplier<ApiResponse> answer, String... others) {
        if (!req.method().equals(method) && !(method.equals("GET") && req.method().equals("HEAD"))) {
            String allow = others.length == 0 ? method : method + ", " + String.join(", ", others);
            throw methodNotAllowed(allow);
        }
        return now(answer);
    }

    private static CompletableFuture<ApiResponse> now(java.util.function.Supplier<ApiResponse> answer) {
        return CompletableFuture.completedFuture(answer.get());
    }

    private static ApiException noRoute() {
        return ApiException.notFound("not_found", "no such endpoint");
    }

    private static ApiException methodNotAllowed(String allow) {
        return new MethodNotAllowed(allow);
    }

    private ApiResponse failure(ApiRequest req, Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof MethodNotAllowed mna) {
            return mna.toResponse().withHeader("Allow", mna.allow);
        }
        if (e instanceof ApiException api) {
            return api.toResponse();
        }
        // Never log the path of a lock call in full: it carries the lock token.
        log.error("unexpected failure on {} {}", req.method(), Redaction.path(req.path()), e);
        return ApiResponse.error(500, "internal", "unexpected server error");
    }

    /** 405 with the methods the path does take. */
    private static final class MethodNotAllowed extends ApiException {
        private final String allow;

        MethodNotAllowed(String allow) {
            super(405, "method_not_allowed", "this endpoint takes " + allow);
            this.allow = allow;
        }
    }

    /** Builds an {@link ApiHandler}; reader, queue, replies, watch and authenticator are required. */
    public static final class Builder {
        private SlotReader reader;
        private io.mutexify.model.port.CommandQueue queue;
        private ReplyWaiter replies;
        private SlotWatch watch;
        private Authenticator authenticator;
        private Clock clock = Clock.systemUTC();
        private Duration replyTimeout = Duration.ofSeconds(10);
        private BooleanSupplier ready = () -> true;

        public Builder reader(SlotReader reader) {
            this.reader = reader;
            return this;
        }

        public Builder queue(io.mutexify.model.port.CommandQueue queue) {
            this.queue = queue;
            return this;
        }

        public Builder replies(ReplyWaiter replies) {
            this.replies = replies;
            return this;
        }

        public Builder watch(SlotWatch watch) {
            this.watch = watch;
            return this;
        }

        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** How long a mutating call waits for the Lockkeeper before answering 202. */
        public Builder replyTimeout(Duration replyTimeout) {
            this.replyTimeout = replyTimeout;
            return this;
        }

        public Builder ready(BooleanSupplier ready) {
            this.ready = ready;
            return this;
        }

        public ApiHandler build() {
            return new ApiHandler(this);
        }
    }
}
