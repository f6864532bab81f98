package io.mutexify.frontface.http;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * An HTTP request as the API handler sees it, whatever server or Functions host delivered it.
 * {@code path} is the raw (not URL-decoded) path; header names are matched case-insensitively.
 * {@code remoteAddress} is the connection's peer address as a literal IP, or null when the host
 * does not say (it is never read from a header). {@code callWatch} tells when the client went away
 * before its answer, on hosts that can tell.
 */
public record ApiRequest(String method, String path, Map<String, String> query,
                         Function<String, String> headers, byte[] body, String remoteAddress, CallWatch callWatch) {

    public ApiRequest {
        method = method.toUpperCase(Locale.ROOT);
        query = Map.copyOf(query);
        body = body == null ? new byte[0] : body;
        callWatch = callWatch == null ? CallWatch.NONE : callWatch;
    }

    /** A request from a host that knows neither the peer address nor when its client goes away. */
    public ApiRequest(String method, String path, Map<String, String> query,
                      Function<String, String> headers, byte[] body) {
        this(method, path, query, headers, body, null, CallWatch.NONE);
    }

    public String header(String name) {
        return headers.apply(name);
    }

    public String queryParam(String name) {
        return query.get(name);
    }

    /** The same request with {@code newBody}: the local server screens the head before it reads the body. */
    public ApiRequest withBody(byte[] newBody) {
        return new ApiRequest(method, path, query, headers, newBody, remoteAddress, callWatch);
    }
}
