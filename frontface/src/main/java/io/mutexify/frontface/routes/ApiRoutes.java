package io.mutexify.frontface.routes;

import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.frontface.routes.Route.Answer;
import io.mutexify.frontface.routes.Route.Feature;
import io.mutexify.frontface.routes.Route.Kind;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Every route the service answers, declared once: the router matches from this table and answers 405
 * with {@code Allow} (the methods of the path's template, in table order) and 404 for a path no template
 * has; tests check the Azure Functions' triggers and the OpenAPI document against it. Nothing else in
 * the main code spells a path of the API.
 */
public final class ApiRoutes {
    private static final String API = "/api/";
    private static final String V1 = "/api/v1/";
    /** Where a request that answered 202 is polled: {@link #requestLocation}. */
    private static final String REQUEST = "/api/v1/requests/{id}";
    private static final String KEY = "/api/v1/keys/{id}";
    /** Named where a message or the start-up help shows a person the call to make. */
    public static final String DEV_SIGN_IN = "/api/v1/auth/dev";
    public static final String ME = "/api/v1/me";
    public static final String KEYS = "/api/v1/keys";

    /** The table. Within a template the methods are in the order {@code Allow} names them. */
    public static final List<Route> ALL = List.of(
            route("GET", "/healthz", Kind.PROBE, sync((e, c) -> e.probes().health())),
            route("GET", "/readyz", Kind.PROBE, sync((e, c) -> e.probes().readiness())),
            route("GET", "/metrics", Kind.SITE, sync((e, c) -> e.probes().metrics())).when(Feature.METRICS),
            // The page is at "/" and at "/ui/" (an Azure Functions route cannot be the bare root).
            route("GET", "/", Kind.SITE, ApiRoutes::uiFile),
            route("GET", "/ui/{file?}", Kind.SITE, ApiRoutes::uiFile),
            route("GET", "/api/v1/openapi.json", Kind.PUBLIC, sync((e, c) -> e.openApi().answer())),
            route("GET", "/api/v1/auth/config", Kind.PUBLIC, sync((e, c) -> e.auth().config())),
            route("POST", DEV_SIGN_IN, Kind.PUBLIC, sync((e, c) -> e.auth().devSignIn(c.req()))).when(Feature.DEV_SIGN_IN),
            route("GET", ME, Kind.API, sync((e, c) -> e.auth().me(c.who()))),
            route("GET", "/api/v1/me/locks", Kind.API, sync((e, c) -> e.ownLocks().list(c.actor()))),
            route("GET", KEYS, Kind.API, sync((e, c) -> e.keys().list(c.who()))),
            route("POST", KEYS, Kind.API, sync((e, c) -> e.keys().create(c.req(), c.who()))),
            route("DELETE", KEY, Kind.API, sync((e, c) -> e.keys().revoke(c.who(), c.param("id")))),
            route("GET", "/api/v1/locks/{slot}", Kind.API, sync((e, c) -> e.locks().status(c.actor(), c.slot()))),
            route("POST", "/api/v1/locks/{slot}", Kind.API, (e, c) -> e.locks().acquire(c.req(), c.actor(), c.slot())),
            route("GET", "/api/v1/locks/{slot}/{token}", Kind.API,
                    sync((e, c) -> e.locks().get(c.actor(), c.slot(), c.param("token")))),
            route("PUT", "/api/v1/locks/{slot}/{token}", Kind.API,
                    (e, c) -> e.locks().extend(c.req(), c.actor(), c.slot(), c.param("token"))),
            route("DELETE", "/api/v1/locks/{slot}/{token}", Kind.API,
                    (e, c) -> e.locks().release(c.req(), c.actor(), c.slot(), c.param("token"))),
            route("GET", "/api/v1/slots", Kind.API, (e, c) -> e.slots().list(c.req(), c.actor())),
            route("POST", "/api/v1/slots", Kind.API, (e, c) -> e.slots().create(c.req(), c.actor())),
            route("GET", "/api/v1/slots/{slot}", Kind.API, (e, c) -> e.slots().get(c.req(), c.actor(), c.slot())),
            route("PATCH", "/api/v1/slots/{slot}", Kind.API, (e, c) -> e.slots().update(c.req(), c.actor(), c.slot())),
            route("DELETE", "/api/v1/slots/{slot}", Kind.API, (e, c) -> e.slots().delete(c.req(), c.actor(), c.slot())),
            route("POST", "/api/v1/slots/{slot}/break", Kind.API, (e, c) -> e.slots().breakLock(c.req(), c.actor(), c.slot())),
            route("GET", "/api/v1/slots/{slot}/history", Kind.API,
                    sync((e, c) -> e.slots().history(c.req(), c.actor(), c.slot()))),
            route("GET", REQUEST, Kind.API, (e, c) -> e.requests().get(c.req(), c.actor(), c.param("id"))),
            route("DELETE", REQUEST, Kind.API, sync((e, c) -> e.requests().cancel(c.actor(), c.param("id")))));

    private ApiRoutes() {
    }

    private static Route route(String method, String template, Kind kind, Answer answer) {
        return new Route(method, template, kind, null, answer);
    }

    private static Answer sync(BiFunction<Endpoints, Call, ApiResponse> answer) {
        return (e, c) -> CompletableFuture.completedFuture(answer.apply(e, c));
    }

    private static CompletableFuture<ApiResponse> uiFile(Endpoints e, Call c) {
        return CompletableFuture.completedFuture(e.ui().serve("GET", c.req().path(), c.req().header("If-None-Match")));
    }

    /** Whether {@code path} is under the API: answers there are never cached, and browsers preflight them. */
    public static boolean isApi(String path) {
        return path.startsWith(API);
    }

    /** Whether a call of {@code path} must carry credentials: an API route's, or an unknown path under {@code /api/v1/}. */
    public static boolean needsCaller(String path) {
        String[] p = Route.split(path);
        for (Route r : ALL) {
            if (r.match(p).isPresent()) {
                return r.kind() == Kind.API;
            }
        }
        return path.startsWith(V1);
    }

    /** Whether {@code path} is a health probe's, which any host name may ask. */
    public static boolean isProbe(String path) {
        String[] p = Route.split(path);
        return ALL.stream().anyMatch(r -> r.kind() == Kind.PROBE && r.match(p).isPresent());
    }

    /** The path a request that answered 202 is polled at. */
    public static String requestLocation(String requestId) {
        return Route.expand(REQUEST, requestId);
    }

    /** The path of an API key, for its {@code Location}. */
    public static String keyLocation(String keyId) {
        return Route.expand(KEY, keyId);
    }

    /** {@code path} fit for a log: a lock token in it (and anything after it) is replaced by {@code ***}. */
    public static String redacted(String path) {
        String[] p = Route.split(path);
        for (Route r : ALL) {
            int token = r.tokenSegment();
            if (token > 0 && r.startsAndGoesOn(p, token)) {
                p[token] = "***";
                return String.join("/", p);
            }
        }
        return path;
    }
}
