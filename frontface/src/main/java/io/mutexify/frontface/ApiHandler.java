package io.mutexify.frontface;

import io.mutexify.frontface.auth.AuthRoutes;
import io.mutexify.frontface.auth.DevSignInCallers;
import io.mutexify.frontface.auth.Principals;
import io.mutexify.frontface.auth.SignInMethods;
import io.mutexify.frontface.auth.SignInTokens;
import io.mutexify.frontface.dispatch.CommandDispatcher;
import io.mutexify.frontface.dispatch.ReplyResponses;
import io.mutexify.frontface.dispatch.ReplyWaiter;
import io.mutexify.frontface.http.ApiException;
import io.mutexify.frontface.http.ApiRequest;
import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.frontface.http.Cors;
import io.mutexify.frontface.keys.KeyRoutes;
import io.mutexify.frontface.keys.NoKeys;
import io.mutexify.frontface.limits.RateLimiter;
import io.mutexify.frontface.locks.LockRoutes;
import io.mutexify.frontface.locks.OwnLocks;
import io.mutexify.frontface.openapi.OpenApiDocument;
import io.mutexify.frontface.probes.Probes;
import io.mutexify.frontface.requests.RequestRoutes;
import io.mutexify.frontface.routes.ApiRoutes;
import io.mutexify.frontface.routes.Endpoints;
import io.mutexify.frontface.routes.Router;
import io.mutexify.frontface.screen.RequestScreen;
import io.mutexify.frontface.slots.SlotQuota;
import io.mutexify.frontface.slots.SlotRoutes;
import io.mutexify.frontface.ui.UiFiles;
import io.mutexify.frontface.watch.SlotWatch;
import io.mutexify.frontface.watch.WatchQuota;
import io.mutexify.model.auth.Identity;
import io.mutexify.model.concurrent.Completions;
import io.mutexify.model.port.ApiKeyStore;
import io.mutexify.model.port.Authenticator;
import io.mutexify.model.port.SlotReader;
import io.mutexify.model.port.StoreUnavailableException;
import io.mutexify.model.text.LogText;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API v1, independent of any HTTP server: the local server and the Azure Functions
 * call this same handler. It answers CORS preflights, screens the request's head (host, body
 * size, content type), authenticates the calls that need it, rate-limits changes, routes by the one
 * table of routes ({@link ApiRoutes}), and turns every failure into a JSON error; an
 * unexpected exception is logged and answered 500, because it is a bug. A server that can read the
 * body later calls {@link #admit} on the head first, so nobody without credentials gets a body read.
 */
public final class ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final String REALM = "Bearer realm=\"mutexify\"";

    private final Authenticator authenticator;
    private final Router router;
    private final RateLimiter limiter;
    private final Cors cors;
    private final RequestScreen screen;

    /** The outcome of {@link #admit}: a refusal to send as it is, or the caller (null on public paths). */
    public record Admission(ApiResponse refusal, Identity who) {
        public boolean refused() {
            return refusal != null;
        }
    }

    private ApiHandler(Builder b) {
        Objects.requireNonNull(b.reader, "reader");
        Objects.requireNonNull(b.replies, "replies");
        CommandDispatcher dispatcher = new CommandDispatcher(Objects.requireNonNull(b.queue, "queue"), b.replies, b.replyTimeout,
                b.pending);
        this.authenticator = Objects.requireNonNull(b.authenticator, "authenticator");
        Objects.requireNonNull(b.watch, "watch");
        SlotQuota slotQuota = new SlotQuota(b.reader, b.maxSlotsPerPrincipal);
        this.router = new Router(new Endpoints(
                new LockRoutes(b.reader, dispatcher, b.clock, slotQuota),
                new OwnLocks(b.reader, b.watch, b.clock),
                new SlotRoutes(b.reader, dispatcher, b.watch, new WatchQuota(b.maxWatchesPerPrincipal), slotQuota, b.clock),
                new RequestRoutes(b.reader, b.replies, dispatcher.longWaits()),
                new KeyRoutes(b.apiKeys == null ? NoKeys.INSTANCE : b.apiKeys, b.clock),
                new AuthRoutes(b.signInMethods, b.devSignIns, b.principals, b.devCallers),
                new OpenApiDocument(),
                new UiFiles(b.signInMethods.google()),
                new Probes(b.ready, b.metrics)));
        this.limiter = b.limiter;
        this.cors = b.cors;
        this.screen = b.screen;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Answers {@code req}; the future never fails. */
    public CompletableFuture<ApiResponse> handle(ApiRequest req) {
        return handle(req, admit(req));
    }

    /**
     * Everything that can be decided from the head of {@code head} (its body is not looked at):
     * the screen, and on paths that need one the caller's credentials and rate limit. Never throws.
     */
    public Admission admit(ApiRequest head) {
        try {
            if (cors.isPreflight(head)) {
                return new Admission(null, null);
            }
            screen.check(head);
            if (!ApiRoutes.needsCaller(head.path())) {
                return new Admission(null, null);
            }
            Identity who = identify(head);
            if (MUTATING.contains(head.method())) {
                limiter.check(who.principal());
            }
            return new Admission(null, who);
        } catch (RuntimeException e) {
            return new Admission(finish(head, failure(head, e)), null);
        }
    }

    /** Answers {@code req} (the head {@code admitted} said may go on, now with its body); the future never fails. */
    public CompletableFuture<ApiResponse> handle(ApiRequest req, Admission admitted) {
        if (admitted.refused()) {
            return CompletableFuture.completedFuture(admitted.refusal());
        }
        CompletableFuture<ApiResponse> answer;
        try {
            answer = cors.isPreflight(req) ? CompletableFuture.completedFuture(cors.preflight(req)) : router.route(req, admitted.who());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.exceptionally(e -> failure(req, e)).thenApply(resp -> finish(req, resp));
    }

    /** Every API answer is for one caller only: none may be kept by a cache (lock tokens, sign-in tokens, keys). */
    private ApiResponse finish(ApiRequest req, ApiResponse resp) {
        ApiResponse r = ApiRoutes.isApi(req.path()) && !resp.headers().containsKey("Cache-Control")
                ? resp.withHeader("Cache-Control", "no-store") : resp;
        return cors.decorate(req, r);
    }

    private Identity identify(ApiRequest req) {
        return authenticator.identify(req::header).orElseThrow(() -> {
            boolean sent = req.header("Authorization") != null;
            // RFC 6750: say which scheme to use, and whether the credential sent was the problem.
            String challenge = sent ? REALM + ", error=\"invalid_token\"" : REALM;
            return new ApiException(401, "unauthenticated",
                    sent ? "the credentials are not valid (expired, revoked, or not for this service); create a new key on the"
                            + " web UI's API keys page and set MUTEXIFY_API_KEY"
                            : "sign in or send an API key: Authorization: Bearer <key>; create a key on the web UI's API keys page"
                                    + " (or POST " + ApiRoutes.KEYS + " when signed in) and set MUTEXIFY_API_KEY",
                    Map.of("WWW-Authenticate", challenge));
        });
    }

    private ApiResponse failure(ApiRequest req, Throwable error) {
        Throwable e = Completions.cause(error);
        if (e instanceof ApiException api) {
            return api.toResponse();
        }
        if (e instanceof StoreUnavailableException) {
            // A read the store could not serve (a failing disk): not a bug, and worth a retry.
            log.warn("store unavailable on {} {}: {}", req.method(), ApiRoutes.redacted(req.path()), e.getMessage());
            return ApiResponse.error(503, "store_unavailable", "the store is unavailable; retry shortly")
                    .withHeader("Retry-After", ReplyResponses.RETRY_AFTER_SECONDS);
        }
        // Never log the path of a lock call in full: it carries the lock token.
        log.error("unexpected failure on {} {}", LogText.escape(req.method()), LogText.escape(ApiRoutes.redacted(req.path())), e);
        return ApiResponse.error(500, "internal", "unexpected server error");
    }

    /** Builds an {@link ApiHandler}; reader, queue, replies, watch and authenticator are required. */
    public static final class Builder {
        private SlotReader reader;
        private io.mutexify.model.port.CommandQueue queue;
        private ReplyWaiter replies;
        private SlotWatch watch;
        private Authenticator authenticator;
        private SignInMethods signInMethods = SignInMethods.openMode();
        private SignInTokens devSignIns;
        private Principals principals = new Principals(List.of(), List.of());
        private ApiKeyStore apiKeys;
        private RateLimiter limiter = RateLimiter.off();
        private Cors cors = Cors.none();
        private RequestScreen screen = RequestScreen.anyHost();
        private DevSignInCallers devCallers = DevSignInCallers.thisMachine();
        private int maxWatchesPerPrincipal = WatchQuota.DEFAULT_MAX;
        private int maxSlotsPerPrincipal = SlotQuota.DEFAULT_MAX;
        private Clock clock = Clock.systemUTC();
        private Duration replyTimeout = Duration.ofSeconds(10);
        private io.mutexify.model.port.PendingRequests pending = io.mutexify.model.port.PendingRequests.NONE;
        private BooleanSupplier ready = () -> true;
        private Supplier<String> metrics;

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

        /** What {@code /api/v1/auth/config} reports; open mode unless told otherwise. */
        public Builder signInMethods(SignInMethods methods) {
            this.signInMethods = methods;
            return this;
        }

        /** Turns on {@code POST /api/v1/auth/dev}, issuing tokens from {@code signIns}; off when null. */
        public Builder devSignIn(SignInTokens signIns, Principals forPrincipals) {
            this.devSignIns = signIns;
            this.principals = forPrincipals;
            return this;
        }

        /** Where API keys live; without one the key endpoints manage nothing. */
        public Builder apiKeys(ApiKeyStore store) {
            this.apiKeys = store;
            return this;
        }

        public Builder rateLimiter(RateLimiter limiter) {
            this.limiter = limiter;
            return this;
        }

        public Builder cors(Cors cors) {
            this.cors = cors;
            return this;
        }

        /** The head checks: which host names are answered (any, unless told). */
        public Builder screen(RequestScreen screen) {
            this.screen = screen;
            return this;
        }

        /** Who may use the dev sign-in when it is on: callers on this machine, unless told otherwise. */
        public Builder devSignInCallers(DevSignInCallers callers) {
            this.devCallers = callers;
            return this;
        }

        /** Open long-polls one principal may hold at once; beyond it 429. */
        public Builder maxWatchesPerPrincipal(int max) {
            this.maxWatchesPerPrincipal = max;
            return this;
        }

        /** Slots one principal may own (administrators are not limited); beyond it 429. */
        public Builder maxSlotsPerPrincipal(int max) {
            this.maxSlotsPerPrincipal = max;
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

        /** The durable records of sent requests, where several instances find each other's long waits. */
        public Builder pendingRequests(io.mutexify.model.port.PendingRequests pending) {
            this.pending = pending;
            return this;
        }

        public Builder ready(BooleanSupplier ready) {
            this.ready = ready;
            return this;
        }

        /** The Prometheus text {@code GET /metrics} answers; without it there is no such route. */
        public Builder metrics(Supplier<String> metrics) {
            this.metrics = metrics;
            return this;
        }

        public ApiHandler build() {
            return new ApiHandler(this);
        }
    }
}
