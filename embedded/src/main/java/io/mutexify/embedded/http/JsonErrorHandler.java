package io.mutexify.embedded.http;

import io.mutexify.frontface.http.ApiResponse;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;

/**
 * Jetty's own error responses in the API's JSON shape instead of Jetty's HTML pages. Jetty answers
 * some requests without ever calling a handler: a request line or header it cannot parse (a raw
 * space or non-ASCII byte in the path, a control character in a header, {@code %00}, a bad
 * {@code %}-escape, a path that climbs above the root), an URI or headers too large. Those go
 * through {@link #badMessageError} (no request could be built) or {@link #handle} (an error
 * dispatch), on the server and on the servlet context; both answer JSON here.
 */
final class JsonErrorHandler extends ErrorHandler {

    JsonErrorHandler() {
        setShowStacks(false);
        setShowServlet(false);
    }

    /** Every method gets a body, not only GET, POST and HEAD. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        baseRequest.setHandled(true);
        if (response.isCommitted()) {
            return;
        }
        int status = response.getStatus();
        if (HttpStatus.hasNoBody(status)) {
            return;
        }
        String reason = (String) request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        byte[] body = ShellErrors.of(status, reason).body();
        response.setContentType(ApiResponse.JSON);
        response.setContentLength(body.length);
        try {
            response.getOutputStream().write(body);
        } catch (IllegalStateException writerInUse) {
            response.getWriter().write(new String(body, StandardCharsets.UTF_8));
        }
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        if (HttpStatus.hasNoBody(status)) {
            return BufferUtil.EMPTY_BUFFER;
        }
        fields.put(HttpHeader.CONTENT_TYPE, ApiResponse.JSON);
        return ByteBuffer.wrap(ShellErrors.of(status, reason).body());
    }
}
