package io.mutexify.frontface.screen;

import io.mutexify.frontface.http.ApiException;
import io.mutexify.frontface.http.ApiRequest;
import io.mutexify.frontface.routes.ApiRoutes;
import io.mutexify.model.slot.Limits;
import java.util.Locale;
import java.util.Set;

/**
 * Checks made on a request's head alone, before any body is read or any credential checked: the
 * {@code Host} must be one we answer to (DNS rebinding), a declared body must fit (so a huge
 * {@code Content-Length} is refused at once instead of holding a thread), and a state-changing API
 * call must say {@code Content-Type: application/json} — a cross-site form or {@code text/plain}
 * POST cannot, without a CORS preflight the browser would have to pass first.
 */
public final class RequestScreen {
    private static final Set<String> ALWAYS_JSON = Set.of("POST", "PUT", "PATCH");

    private final HostAllowList hosts;

    public RequestScreen(HostAllowList hosts) {
        this.hosts = hosts;
    }

    /** Accepts any host: only the body and content-type checks. */
    public static RequestScreen anyHost() {
        return new RequestScreen(HostAllowList.any());
    }

    /** Throws the refusal (421, 413 or 415) for {@code head}, or returns when it may go on. */
    public void check(ApiRequest head) {
        // Probes (load balancers, orchestrators) address the server by whatever name they know it.
        if (!ApiRoutes.isProbe(head.path()) && !hosts.allows(head.header("Host"))) {
            throw new ApiException(421, "misdirected_request",
                    "this server does not answer to that host name; set MUTEXIFY_PUBLIC_URL to the address clients use");
        }
        String length = head.header("Content-Length");
        if (length != null && declaresMoreThan(length.trim(), Limits.MAX_BODY_BYTES)) {
            // Refused before the body is read: the server closes the connection (it cannot carry another request).
            throw new ApiException(413, "body_too_large", "request body must be at most " + Limits.MAX_BODY_BYTES + " bytes");
        }
        if (ApiRoutes.isApi(head.path()) && changesState(head, length) && !isJson(head.header("Content-Type"))) {
            throw new ApiException(415, "unsupported_media_type",
                    "send the request with Content-Type: application/json (an empty body too)");
        }
    }

    /** A decimal Content-Length above {@code max}, however many digits (above 2^63 too). */
    static boolean declaresMoreThan(String length, long max) {
        if (length.isEmpty() || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false; // not a number: the HTTP server refuses it
        }
        String digits = length.replaceFirst("^0+(?=.)", "");
        return digits.length() > 18 || Long.parseLong(digits) > max;
    }

    /**
     * POST, PUT and PATCH always; DELETE only with a body. A browser sends DELETE cross-site only
     * after a preflight, and the clients send it without a body (and so without a Content-Type).
     */
    private static boolean changesState(ApiRequest head, String length) {
        if (ALWAYS_JSON.contains(head.method())) {
            return true;
        }
        boolean body = head.header("Transfer-Encoding") != null
                || length != null && !length.isBlank() && !length.trim().matches("0+");
        return head.method().equals("DELETE") && body;
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json");
    }
}
