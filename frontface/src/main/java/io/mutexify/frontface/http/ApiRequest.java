package io.mutexify.frontface.http;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * An HTTP request as the API handler sees it, whatever server or Functions host delivered it.
 * {@code path} is the raw (not URL-decoded) path; header names are matched case-insensitively.
 * {@code callWatch} tells when the client went away before its answer, on hosts that can tell.
 */
public record ApiRequest(String method, String path, Map<String, String> query,
                         Function<String, String> headers, byte[] body, CallWatch callWatch) {

    public ApiRequest {
        method = method.toUpperCase(Locale.ROOT);
        query = Map.copyOf(query);
        body = body == null ? new byte[0] : body;
        callWatch = callWatch == null ? CallWatch.NONE : callWatch;
    }

    /** A request from a host that cannot tell when its client goes away. */
    public ApiRequest(String method, String path, Map<String, String> query,
                      Function<String, String> headers, byte[] body) {
        this(method, path, query, headers, body, CallWatch.NONE);
    }

    public String header(String name) {
        return headers.apply(name);
    }

    public String queryParam(String name) {
        return query.get(name);
    }
}
