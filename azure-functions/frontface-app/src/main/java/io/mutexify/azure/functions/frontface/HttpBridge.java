package io.mutexify.azure.functions.frontface;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import io.mutexify.frontface.http.ApiRequest;
import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.frontface.http.CallWatch;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Converts between the Functions HTTP types and the server-independent {@link ApiRequest}/{@link ApiResponse}. */
public final class HttpBridge {
    private HttpBridge() {
    }

    public static ApiRequest toApiRequest(HttpRequestMessage<Optional<byte[]>> req) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (req.getHeaders() != null) {
            headers.putAll(req.getHeaders());
        }
        Map<String, String> query = req.getQueryParameters() == null ? Map.of() : req.getQueryParameters();
        byte[] body = req.getBody() == null ? new byte[0] : req.getBody().orElse(new byte[0]);
        // The Functions host gives an invocation no sign that its client went away, so a one-call
        // waiting acquire stays in line until its own wait ends (a long wait leaves when its polls stop).
        return new ApiRequest(req.getHttpMethod().name(), req.getUri().getRawPath(), query, headers::get, body,
                null, CallWatch.NONE);
    }

    public static HttpResponseMessage toResponse(HttpRequestMessage<?> req, ApiResponse res, boolean head) {
        HttpResponseMessage.Builder b = req.createResponseBuilder(HttpStatusType.custom(res.status()));
        res.headers().forEach(b::header);
        if (res.body().length > 0 && !head) {
            b.body(res.body());
        }
        return b.build();
    }
}
