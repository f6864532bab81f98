package io.mutexify.frontface.http;

import io.mutexify.frontface.routes.ApiRoutes;
import java.util.List;
import java.util.Set;

/**
 * CORS for the web UI's origins: preflights of {@code /api/*} are answered here, and responses to
 * a listed origin carry the headers a browser needs. With no origins configured nothing is added.
 */
public final class Cors {
    private static final String METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE";
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key";
    private static final String EXPOSED_HEADERS = "Location, Retry-After, WWW-Authenticate, X-Mutexify-Index";

    private final Set<String> origins;

    /** Exact origins such as {@code https://mutexify.example.com}. */
    public Cors(List<String> origins) {
        this.origins = Set.copyOf(origins);
    }

    public static Cors none() {
        return new Cors(List.of());
    }

    public boolean isPreflight(ApiRequest req) {
        return !origins.isEmpty() && req.method().equals("OPTIONS") && ApiRoutes.isApi(req.path())
                && req.header("Origin") != null && req.header("Access-Control-Request-Method") != null;
    }

    /** 204 with the allowed methods and headers for a listed origin; 403 for any other. */
    public ApiResponse preflight(ApiRequest req) {
        String origin = req.header("Origin");
        if (!origins.contains(origin)) {
            throw ApiException.forbidden("origin_not_allowed", "this origin may not call the API from a browser");
        }
        return ApiResponse.empty(204)
                .withHeader("Access-Control-Allow-Origin", origin)
                .withHeader("Access-Control-Allow-Methods", METHODS)
                .withHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                .withHeader("Access-Control-Max-Age", "600")
                .withHeader("Vary", "Origin");
    }

    /** {@code resp} with the CORS headers when the request came from a listed origin. */
    public ApiResponse decorate(ApiRequest req, ApiResponse resp) {
        if (origins.isEmpty()) {
            return resp;
        }
        String origin = req.header("Origin");
        ApiResponse r = resp.withHeader("Vary", "Origin");
        if (origin == null || !origins.contains(origin) || resp.headers().containsKey("Access-Control-Allow-Origin")) {
            return r;
        }
        return r.withHeader("Access-Control-Allow-Origin", origin)
                .withHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    }
}
