package io.mutexify.frontface.slots;

import io.mutexify.frontface.http.ApiResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The last slot-list answer per caller and page, reused for a moment: when one change wakes many watches
 * of the same caller, the list is filtered and written as JSON once, not once per watch. An answer
 * is reused only for the same global index and for at most {@link #MAX_AGE_NANOS}, since a lock's
 * remaining time is computed when the answer is made; only the most recent callers are kept.
 */
final class ListAnswers {
    private static final long MAX_AGE_NANOS = 1_000_000_000L;
    private static final int MAX_CALLERS = 256;

    private record Answer(long index, long madeAtNanos, ApiResponse response) {
    }

    private final Map<String, Answer> byCaller = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Answer> eldest) {
            return size() > MAX_CALLERS;
        }
    };

    /** The answer for {@code caller} at {@code index}: the one made last, if still fresh, else {@code make}'s. */
    ApiResponse answer(String caller, long index, Supplier<ApiResponse> make) {
        long now = System.nanoTime();
        synchronized (byCaller) {
            Answer a = byCaller.get(caller);
            if (a != null && a.index() == index && now - a.madeAtNanos() < MAX_AGE_NANOS) {
                return a.response();
            }
        }
        ApiResponse made = make.get();
        synchronized (byCaller) {
            // Stale answers go at once, not only when 256 newer ones push them out: a page of a
            // thousand slots is large, and an idle server should hold none of them.
            byCaller.values().removeIf(a -> now - a.madeAtNanos() >= MAX_AGE_NANOS);
            byCaller.put(caller, new Answer(index, now, made));
        }
        return made;
    }
}
