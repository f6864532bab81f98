package io.mutexify.embedded.http;

import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.frontface.input.Text;
import io.mutexify.model.slot.Limits;

/**
 * The JSON error bodies for refusals made by the HTTP server itself (Jetty) before a
 * request reaches the API: the same {@code {"error", "message"}} shape the API answers with.
 */
final class ShellErrors {
    private ShellErrors() {
    }

    /** {@code reason} is the server's own text (never the request's URI), echoed only for a 400. */
    static ApiResponse of(int status, String reason) {
        return switch (status) {
            case 400 -> ApiResponse.error(400, "bad_request", "the request could not be read"
                    + (reason == null || reason.isBlank() ? "" : ": " + Text.printable(reason, 200)));
            case 404 -> ApiResponse.error(404, "not_found", "no such endpoint");
            case 405 -> ApiResponse.error(405, "method_not_allowed", "this endpoint does not take that method");
            case 408 -> ApiResponse.error(408, "request_timeout", "the request was not received in time");
            case 413 -> ApiResponse.error(413, "body_too_large", "request body must be at most " + Limits.MAX_BODY_BYTES + " bytes");
            case 414 -> ApiResponse.error(414, "uri_too_long", "the request URI is too long");
            case 431 -> ApiResponse.error(431, "headers_too_large", "the request headers are too large");
            case 505 -> ApiResponse.error(505, "http_version_not_supported", "use HTTP/1.1");
            default -> status >= 500
                    ? ApiResponse.error(status, "internal", "unexpected server error")
                    : ApiResponse.error(status, "bad_request", "the request was refused"
                            + (reason == null || reason.isBlank() ? "" : ": " + Text.printable(reason, 200)));
        };
    }
}
