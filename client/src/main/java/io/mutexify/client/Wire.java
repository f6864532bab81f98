package io.mutexify.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The JSON and path shapes of REST API v1, read and written without depending on the server's model. */
final class Wire {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern SLOT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private Wire() {
    }

    /** Whole seconds, rounded up; at least 1. */
    static int seconds(Duration d, String what) {
        if (d == null) {
            return 0;
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        if (s > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " is too long");
        }
        return (int) s;
    }

    /** A slot id checked against the server's rules before it goes into a path. */
    static String slot(String id) {
        if (id == null || !SLOT_ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException("a slot id is 1-128 characters of A-Z a-z 0-9 . _ : - (not . or ..): " + id);
        }
        return id;
    }

    /** A lock token, checked before it goes into a path. */
    static String token(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("not a lock token");
        }
        return token;
    }

    static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return MAPPER.nullNode();
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return MAPPER.nullNode();
        }
    }

    static LockInfo lock(JsonNode n) {
        if (n == null || !n.isObject()) {
            return null;
        }
        return new LockInfo(text(n, "id"), text(n, "resource"), text(n, "owner"), text(n, "principal"), text(n, "token"),
                n.path("fence").asLong(), n.path("timeout").asInt(), strings(n.get("metadata")),
                instant(n, "createdAt"), instant(n, "updatedAt"), instant(n, "expireAt"), text(n, "unit"));
    }

    static SlotInfo slot(JsonNode n) {
        List<SlotInfo.Waiter> waiters = new ArrayList<>();
        for (JsonNode w : n.path("waiters")) {
            waiters.add(new SlotInfo.Waiter(text(w, "owner"), text(w, "principal"), instant(w, "since"),
                    instant(w, "waitUntil"), text(w, "unit")));
        }
        List<LockInfo> holds = new ArrayList<>();
        n.path("holds").forEach(h -> holds.add(lock(h)));
        return new SlotInfo(text(n, "id"), text(n, "name"), text(n, "description"), strings(n.get("owners")),
                strings(n.get("members")), n.path("defaultTimeout").asInt(), n.path("maxTimeout").asInt(),
                instant(n, "createdAt"), instant(n, "updatedAt"), n.path("fence").asLong(), n.path("version").asLong(),
                text(n, "state"), lock(n.get("lock")), n.path("waiting").asInt(), waiters,
                n.path("capacity").asInt(1), strings(n.get("units")), n.path("lockDelay").asInt(), holds,
                n.path("available").asInt());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode n, String field) {
        String s = text(n, field);
        return s == null ? null : Instant.parse(s);
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isTextual()) {
            out.add(n.asText());
            return out;
        }
        n.forEach(v -> out.add(v.asText()));
        return out;
    }
}
