package io.mutexify.frontface.routes;

import io.mutexify.frontface.http.ApiResponse;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One line of the route table: a method, a path template ({@code /api/v1/slots/{slot}/break}; a last
 * segment {@code {name?}} may be absent), what kind of route it is, the feature it needs (null: none)
 * and what answers it. A parameter matches any one segment, the empty one too: the answer checks it.
 * {@code segments} is the template split at {@code /}, once.
 */
public record Route(String method, String template, Kind kind, Feature feature, Answer answer, List<String> segments) {
    /** What a route is to the rest of the service: who may call it, and whether the API description lists it. */
    public enum Kind {
        /** An API call: credentials checked, described in the OpenAPI document. */
        API,
        /** An API call anyone may make (how to sign in, the description itself). */
        PUBLIC,
        /** A health probe: public, described, and answered whatever host name a probe uses. */
        PROBE,
        /** Served beside the API, not part of it: the web UI's files, the metrics. */
        SITE
    }

    /** A route that only exists while its feature is on. */
    public enum Feature {
        DEV_SIGN_IN, METRICS
    }

    /** Answers a matched call. */
    @FunctionalInterface
    public interface Answer {
        CompletableFuture<ApiResponse> answer(Endpoints endpoints, Call call);
    }

    public Route(String method, String template, Kind kind, Feature feature, Answer answer) {
        this(method, template, kind, feature, answer, List.of(split(template)));
    }

    /** The same route, there only while {@code needs} is on. */
    public Route when(Feature needs) {
        return new Route(method, template, kind, needs, answer);
    }

    /** {@code path} cut at every {@code /}, as {@link #match(String[])} takes it. */
    public static String[] split(String path) {
        return path.split("/", -1);
    }

    /** The template's parameters taken from {@code path}, or empty when the path is not this template's. */
    public Optional<Map<String, String>> match(String path) {
        return match(split(path));
    }

    /** As {@link #match(String)}, for a path already {@link #split}. */
    public Optional<Map<String, String>> match(String[] path) {
        return match(segments, Arrays.asList(path));
    }

    /** Whether {@code path} starts with the first {@code n} segments of this template, and goes on after them. */
    boolean startsAndGoesOn(String[] path, int n) {
        return path.length > n && match(segments.subList(0, n), Arrays.asList(path).subList(0, n)).isPresent();
    }

    private static Optional<Map<String, String>> match(List<String> t, List<String> p) {
        boolean optionalLast = t.get(t.size() - 1).endsWith("?}");
        if (p.size() != t.size() && !(optionalLast && p.size() == t.size() - 1)) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < p.size(); i++) {
            String ti = t.get(i);
            if (ti.startsWith("{")) {
                params.put(ti.substring(1, ti.length() - (ti.endsWith("?}") ? 2 : 1)), p.get(i));
            } else if (!ti.equals(p.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    /** The index of the {@code {token}} segment, or -1: a lock token, which logs must not show. */
    int tokenSegment() {
        return segments.indexOf("{token}");
    }

    /** {@code template} with each parameter replaced by the next of {@code values}, as a path. */
    public static String expand(String template, String... values) {
        String[] t = template.split("/", -1);
        long params = Arrays.stream(t).filter(s -> s.startsWith("{")).count();
        if (params != values.length) {
            throw new IllegalArgumentException(template + " takes " + params + " values, not " + values.length);
        }
        int next = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith("{")) {
                t[i] = values[next++];
            }
        }
        return String.join("/", t);
    }
}
