package io.mutexify.azure.functions.frontface;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** An HTTP request as the Functions Java worker hands it over (header names lower-cased), and its response. */
final class FakeRequest implements HttpRequestMessage<Optional<byte[]>> {
    private final HttpMethod method;
    private final URI uri;
    private final Map<String, String> headers = new HashMap<>();
    private final Map<String, String> query = new HashMap<>();
    private final byte[] body;

    FakeRequest(HttpMethod method, String pathAndQuery, String body) {
        this.method = method;
        this.uri = URI.create("https://mutexify-frontface.azurewebsites.net" + pathAndQuery);
        this.body = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            headers.put("content-type", "application/json"); // as every client sends a JSON body
        }
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
    }

    FakeRequest header(String name, String value) {
        headers.put(name.toLowerCase(), value);
        return this;
    }

    @Override
    public URI getUri() {
        return uri;
    }

    @Override
    public HttpMethod getHttpMethod() {
        return method;
    }

    @Override
    public Map<String, String> getHeaders() {
        return headers;
    }

    @Override
    public Map<String, String> getQueryParameters() {
        return query;
    }

    @Override
    public Optional<byte[]> getBody() {
        return Optional.ofNullable(body);
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
        return createResponseBuilder((HttpStatusType) status);
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
        return new Response(status);
    }

    /** The response the function built. */
    static final class Response implements HttpResponseMessage, HttpResponseMessage.Builder {
        private HttpStatusType status;
        private final Map<String, String> headers = new HashMap<>();
        private Object body;

        Response(HttpStatusType status) {
            this.status = status;
        }

        @Override
        public Builder status(HttpStatusType s) {
            this.status = s;
            return this;
        }

        @Override
        public Builder header(String key, String value) {
            headers.put(key, value);
            return this;
        }

        @Override
        public Builder body(Object b) {
            this.body = b;
            return this;
        }

        @Override
        public HttpResponseMessage build() {
            return this;
        }

        @Override
        public HttpStatusType getStatus() {
            return status;
        }

        @Override
        public String getHeader(String key) {
            return headers.get(key);
        }

        @Override
        public Object getBody() {
            return body;
        }

        /** Every header the function set. */
        Map<String, String> headers() {
            return Map.copyOf(headers);
        }

        String text() {
            return body == null ? "" : new String((byte[]) body, StandardCharsets.UTF_8);
        }
    }
}
