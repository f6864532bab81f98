package io.mutexify.frontface;

/** Keeps secrets out of logs: a lock path's token segment is replaced. */
public final class Redaction {
    private Redaction() {
    }

    /** {@code /api/v1/locks/s/TOKEN} becomes {@code /api/v1/locks/s/***}. */
    public static String path(String path) {
        if (path.startsWith("/api/v1/locks/")) {
            String[] s = path.split("/", -1);
            if (s.length >= 6) {
                s[5] = "***";
                return String.join("/", s);
            }
        }
        return path;
    }
}
