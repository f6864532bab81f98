package io.mutexify.frontface.http;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the query parameters the API takes: {@code index}, {@code wait} (e.g. {@code 30s}, {@code 1m}) and {@code limit}. */
public final class QueryParams {
    public static final Duration MAX_WATCH = Duration.ofMinutes(5);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})(ms|s|m)?");

    private QueryParams() {
    }

    public static Long index(ApiRequest req) {
        String raw = req.queryParam("index");
        if (raw == null) {
            return null;
        }
        try {
            long v = Long.parseLong(raw);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the 400 below
        }
        throw ApiException.badRequest("invalid_index", "index must be a non-negative whole number");
    }

    /** The long-poll wait; defaults to 30 s when an index is given, at most {@link #MAX_WATCH}. */
    public static Duration watchWait(ApiRequest req) {
        String raw = req.queryParam("wait");
        if (raw == null) {
            return Duration.ofSeconds(30);
        }
        Matcher m = DURATION.matcher(raw);
        if (!m.matches()) {
            throw ApiException.badRequest("invalid_wait", "wait must look like 30s, 2m or 500ms");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.compareTo(MAX_WATCH) > 0) {
            throw ApiException.badRequest("invalid_wait", "wait must be at most " + MAX_WATCH.toSeconds() + "s");
        }
        return d;
    }

    public static int limit(ApiRequest req, int dflt, int max) {
        String raw = req.queryParam("limit");
        if (raw == null) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(raw);
            if (v >= 1 && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the 400 below
        }
        throw ApiException.badRequest("invalid_limit", "limit must be a whole number from 1 to " + max);
    }
}
