package io.mutexify.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The JSON and path shapes of REST API v1, without depending on the server's model: answers bind
 * to the public records ({@link LockInfo}, {@link SlotInfo}), requests are written from the records
 * below (and {@link SlotSpec}); null fields are left out.
 */
final class Wire {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();
    private static final Pattern SLOT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private Wire() {
    }

    /** The body of an acquire ({@code POST /api/v1/locks/{slot}}). */
    record AcquireBody(String owner, Integer timeout, List<String> metadata, @JsonProperty("wait") int waitSeconds,
                       String unit) {
        AcquireBody {
            metadata = metadata == null || metadata.isEmpty() ? null : metadata;
        }
    }

    /** The body of an extend or renewal ({@code PUT /api/v1/locks/{slot}/{token}}). */
    record TimeoutBody(long timeout) {
    }

    /** The body of a break ({@code POST /api/v1/slots/{slot}/break}). */
    record BreakBody(String reason, String unit) {
    }

    /** The answer to {@code GET /api/v1/slots}: one page, and the cursor of the next ({@code null} on the last). */
    record SlotList(List<SlotInfo> slots, String next) {
        SlotList {
            slots = slots == null ? List.of() : slots;
        }
    }

    /** An error answer {@code {"error","message"}}; a 409 {@code locked} also names the {@code lock}. */
    record ErrorBody(String error, String message, LockInfo lock) {
        static final ErrorBody NONE = new ErrorBody(null, null, null);
    }

    /** The {@code location} of a 202 answer, when the header is missing. */
    record Accepted(String location) {
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

    /** {@code body} as a {@code type}, or null when it is empty or not that shape (an answer from a proxy, say). */
    static <T> T read(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return MAPPER.readValue(body, type);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static byte[] write(Object body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request body", e);
        }
    }
}
