package io.mutexify.azure.insights;

import java.util.function.Supplier;

/**
 * The operation id that follows one client request through Frontface, the request queue and the
 * Lockkeeper, so Application Insights can show them as one operation. A function sets it for the
 * duration of an invocation; the Service Bus adapters carry it as the application property
 * {@link #PROPERTY} on every message they send.
 */
public final class OperationIds {
    /** The Service Bus application property that carries the operation id. */
    public static final String PROPERTY = "mutexify-operation-id";
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private OperationIds() {
    }

    /** The operation id of this thread's invocation, or null. */
    public static String current() {
        return CURRENT.get();
    }

    /** Runs {@code body} with {@code operationId} as the current id, then restores the previous one. */
    public static <T> T with(String operationId, Supplier<T> body) {
        String previous = CURRENT.get();
        CURRENT.set(operationId);
        try {
            return body.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /**
     * The operation id of a function invocation: the trace id of the invocation's own W3C
     * {@code traceparent} (the Functions host's trace context, under which Application Insights
     * files the invocation's {@code requests} row, so custom events join it), else the first of
     * {@code fallbacks} that is set (a caller's traceparent trace id, the invocation id).
     */
    public static String forInvocation(String invocationTraceparent, String... fallbacks) {
        String id = fromTraceparent(invocationTraceparent);
        for (int i = 0; id == null && i < fallbacks.length; i++) {
            id = fallbacks[i] == null || fallbacks[i].isBlank() ? null : fallbacks[i];
        }
        return id;
    }

    /** The trace id of a W3C {@code traceparent} header ({@code 00-<trace id>-<span id>-<flags>}), or null. */
    public static String fromTraceparent(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        String[] parts = traceparent.trim().split("-");
        if (parts.length == 4 && parts[1].matches("[0-9a-f]{32}") && !parts[1].matches("0+")) {
            return parts[1];
        }
        return null;
    }
}
