package io.mutexify.frontface.openapi;

import io.mutexify.frontface.http.ApiResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.1 description of REST API v1, public so anyone
 * can generate a client. The document is {@code api/openapi.json} on the classpath; {@code docs/}
 * holds the same file.
 */
public final class OpenApiDocument {
    private static final String RESOURCE = "api/openapi.json";

    private final byte[] body;

    public OpenApiDocument() {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            this.body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ApiResponse answer() {
        return new ApiResponse(200, Map.of("Content-Type", ApiResponse.JSON), body);
    }
}
