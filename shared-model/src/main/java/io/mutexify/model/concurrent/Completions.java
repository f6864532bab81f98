package io.mutexify.model.concurrent;

import java.util.concurrent.CompletionException;

/** What failed a {@link java.util.concurrent.CompletableFuture} stage, without the wrapping it gained on the way. */
public final class Completions {
    private Completions() {
    }

    /** {@code failure} with every {@link CompletionException} around it taken off. */
    public static Throwable cause(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
