package io.mutexify.frontface.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mutexify.frontface.auth.AuthRoutes;
import io.mutexify.frontface.auth.DevSignInCallers;
import io.mutexify.frontface.auth.Principals;
import io.mutexify.frontface.auth.SignInMethods;
import io.mutexify.frontface.http.ApiException;
import io.mutexify.frontface.http.ApiRequest;
import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.frontface.probes.Probes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The router answers from the table alone: a path's methods make its {@code Allow}, an unknown path is a
 * 404, a feature that is off takes its routes away. Only the probes are wired: 404s and 405s never reach
 * an answer.
 */
class RouterTest {
    private static final AuthRoutes NO_DEV_SIGN_IN = new AuthRoutes(SignInMethods.openMode(), null,
            new Principals(List.of(), List.of()), DevSignInCallers.thisMachine());

    private static Router router(String metrics) {
        return new Router(new Endpoints(null, null, null, null, null, NO_DEV_SIGN_IN, null, null,
                new Probes(() -> true, metrics == null ? null : () -> metrics)));
    }

    private static ApiRequest req(String method, String path) {
        return new ApiRequest(method, path, Map.of(), h -> null, new byte[0]);
    }

    private static ApiException refusal(Router router, String method, String path) {
        try {
            router.route(req(method, path), null);
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError(method + " " + path + " was answered");
    }

    @Test
    void aWrongMethodIs405WithTheTemplatesMethodsInTableOrder() {
        Router router = router(null);
        Map<String, String> allow = Map.of(
                "/api/v1/locks/s1", "GET, POST", "/api/v1/locks/s1/tok", "GET, PUT, DELETE", "/api/v1/slots", "GET, POST",
                "/api/v1/slots/s1", "GET, PATCH, DELETE", "/api/v1/slots/s1/break", "POST", "/api/v1/slots/s1/history", "GET",
                "/api/v1/requests/r-1", "GET, DELETE", "/api/v1/keys", "GET, POST", "/healthz", "GET", "/ui/app.js", "GET");
        allow.forEach((path, methods) -> {
            ApiException e = refusal(router, "TRACE", path);
            assertThat(e.status()).as(path).isEqualTo(405);
            ApiResponse r = e.toResponse();
            assertThat(r.headers().get("Allow")).as(path).isEqualTo(methods);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("method_not_allowed", "takes " + methods);
        });
    }

    @Test
    void aPathNoTemplateHasIs404() {
        Router router = router(null);
        for (String path : new String[] {"/api/v1", "/api/v1/", "/api/v1/locks", "/api/v1/locks/s/t/x", "/api/v1/slots/s/nope",
            "/api/v1/slots/s/history/", "/api/v2/slots", "/favicon.ico", "/healthz/x", "/ui/a/b", "/api/v1/auth/dev", "/metrics"}) {
            ApiException e = refusal(router, "GET", path);
            assertThat(e.status()).as(path).isEqualTo(404);
            assertThat(e.code()).isEqualTo("not_found");
        }
    }

    @Test
    void aBadSlotIdIs400BeforeTheMethodIsLookedAt() {
        assertThat(refusal(router(null), "TRACE", "/api/v1/slots/a%2Fb").status()).isEqualTo(400);
    }

    @Test
    void headIsAnsweredAsGetAndAFeatureOnBringsItsRoute() {
        Router router = router("up 1\n");
        assertThat(router.route(req("HEAD", "/healthz"), null).join().status()).isEqualTo(200);
        ApiResponse metrics = router.route(req("GET", "/metrics"), null).join();
        assertThat(new String(metrics.body(), StandardCharsets.UTF_8)).isEqualTo("up 1\n");
        assertThat(metrics.headers().get("Content-Type")).startsWith("text/plain");
        assertThat(refusal(router, "POST", "/metrics").toResponse().headers().get("Allow")).isEqualTo("GET");
    }

    @Test
    void theTableNamesEachMethodOfATemplateOnceAndOneKindATemplate() {
        Map<String, List<Route>> byTemplate = ApiRoutes.ALL.stream().collect(Collectors.groupingBy(Route::template));
        byTemplate.forEach((template, routes) -> {
            assertThat(routes.stream().map(Route::method).distinct().count()).as(template).isEqualTo(routes.size());
            assertThat(routes.stream().map(Route::kind).collect(Collectors.toSet())).as(template).hasSize(1);
        });
    }

    @Test
    void whoNeedsCredentialsFollowsTheTable() {
        assertThat(ApiRoutes.needsCaller("/api/v1/slots/s1/break")).isTrue();
        assertThat(ApiRoutes.needsCaller("/api/v1/nope")).as("unknown, under the API").isTrue();
        for (String open : Set.of("/api/v1/auth/config", "/api/v1/auth/dev", "/api/v1/openapi.json", "/healthz", "/ui/", "/", "/nope")) {
            assertThat(ApiRoutes.needsCaller(open)).as(open).isFalse();
        }
        assertThat(ApiRoutes.isProbe("/readyz")).isTrue();
        assertThat(ApiRoutes.isProbe("/metrics")).isFalse();
    }

    @Test
    void locationsComeFromTheTemplatesAndTokensStayOutOfLogs() {
        assertThat(ApiRoutes.requestLocation("r-1")).isEqualTo("/api/v1/requests/r-1");
        assertThat(ApiRoutes.keyLocation("k1")).isEqualTo("/api/v1/keys/k1");
        assertThat(ApiRoutes.redacted("/api/v1/locks/s1/SECRET")).isEqualTo("/api/v1/locks/s1/***");
        assertThat(ApiRoutes.redacted("/api/v1/locks/s1/SECRET/x")).isEqualTo("/api/v1/locks/s1/***/x");
        assertThat(ApiRoutes.redacted("/api/v1/slots/s1/history")).isEqualTo("/api/v1/slots/s1/history");
        assertThatThrownBy(() -> Route.expand("/api/v1/locks/{slot}/{token}", "s1")).isInstanceOf(IllegalArgumentException.class);
    }
}
