package io.mutexify.frontface.http;

/** A request the API refuses: becomes a JSON error response with this status, code and message. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public ApiResponse toResponse() {
        return ApiResponse.error(status, code, getMessage());
    }
}
