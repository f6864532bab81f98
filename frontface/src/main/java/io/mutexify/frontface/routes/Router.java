package io.mutexify.frontface.routes;

import io.mutexify.frontface.http.ApiException;
import io.mutexify.frontface.http.ApiRequest;
import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.model.auth.Identity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Answers a request from the route table: its route's answer, 405 with {@code Allow}, or a 404. */
public final class Router {
    private final Endpoints endpoints;
    private final List<Route> routes;

    /** Only the routes whose feature is on in {@code endpoints} exist. */
    public Router(Endpoints endpoints) {
        this.endpoints = endpoints;
        this.routes = ApiRoutes.ALL.stream().filter(r -> r.feature() == null || endpoints.has(r.feature())).toList();
    }

    /** The answer to {@code req} from {@code who} (null on public routes); HEAD is answered as GET, the server drops the body. */
    public CompletableFuture<ApiResponse> route(ApiRequest req, Identity who) {
        String method = req.method().equals("HEAD") ? "GET" : req.method();
        String[] path = Route.split(req.path());
        List<String> allowed = new ArrayList<>();
        Call call = null;
        for (Route r : routes) {
            Optional<Map<String, String>> params = r.match(path);
            if (params.isEmpty()) {
                continue;
            }
            if (call == null) {
                call = new Call(req, who, params.get());
            }
            if (r.method().equals(method)) {
                return r.answer().answer(endpoints, call);
            }
            allowed.add(r.method());
        }
        if (allowed.isEmpty()) {
            throw ApiException.notFound("not_found", "no such endpoint");
        }
        String allow = String.join(", ", allowed);
        throw new ApiException(405, "method_not_allowed", "this endpoint takes " + allow, Map.of("Allow", allow));
    }
}
