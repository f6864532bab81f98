package io.mutexify.frontface.http;

import io.mutexify.model.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP response: status, headers and a body (JSON unless said otherwise). */
public record ApiResponse(int status, Map<String, String> headers, byte[] body) {
    public static final String JSON = "application/json; charset=utf-8";

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, Map.of("Content-Type", JSON), Json.writeBytes(body));
    }

    public static ApiResponse empty(int status) {
        return new ApiResponse(status, Map.of(), new byte[0]);
    }

    public static ApiResponse error(int status, String code, String message) {
        return json(status, new ErrorBody(code, message));
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, h, body);
    }

    /** The JSON error body every 4xx and 5xx carries. */
    public record ErrorBody(String error, String message) {
    }
}
