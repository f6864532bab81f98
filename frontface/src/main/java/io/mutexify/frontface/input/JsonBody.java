package io.mutexify.frontface.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mutexify.frontface.http.ApiException;
import io.mutexify.model.slot.Limits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A request body read strictly: one JSON object, no duplicate keys, no trailing data, no unknown
 * fields, every value of the type asked for. Each problem becomes a 400 naming the field.
 */
public final class JsonBody {
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final ObjectNode node;

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    /** Parses {@code body}; an empty body counts as {@code {}} when {@code emptyAllowed}. */
    public static JsonBody parse(byte[] body, boolean emptyAllowed, Set<String> allowedFields) {
        if (body.length > Limits.MAX_BODY_BYTES) {
            throw new ApiException(413, "body_too_large", "request body must be at most " + Limits.MAX_BODY_BYTES + " bytes");
        }
        if (isBlank(body)) {
            if (emptyAllowed) {
                return new JsonBody(STRICT.createObjectNode());
            }
            throw ApiException.badRequest("invalid_json", "a JSON object body is required");
        }
        JsonNode parsed;
        try {
            parsed = STRICT.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("invalid_json", "body is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (parsed == null || !parsed.isObject()) {
            throw ApiException.badRequest("invalid_json", "body must be a JSON object");
        }
        Iterator<String> names = parsed.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowedFields.contains(name)) {
                throw ApiException.badRequest("unknown_field", "unknown field '" + Text.printable(name, 64)
                        + "'; allowed: " + String.join(", ", allowedFields.stream().sorted().toList()));
            }
        }
        return new JsonBody((ObjectNode) parsed);
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return Text.printable(nl < 0 ? message : message.substring(0, nl), 200);
    }

    private JsonNode present(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    public boolean has(String field) {
        return present(field) != null;
    }

    /** An integer in {@code [min, max]}, or null when absent. */
    public Integer integer(String field, int min, int max) {
        JsonNode v = present(field);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiException.badRequest("invalid_" + field, field + " must be a whole number from " + min + " to " + max);
        }
        int i = v.intValue();
        if (i < min || i > max) {
            throw ApiException.badRequest("invalid_" + field, field + " must be a whole number from " + min + " to " + max);
        }
        return i;
    }

    /** A string of at most {@code maxChars}, or null when absent. */
    public String string(String field, int maxChars, boolean label) {
        JsonNode v = present(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest("invalid_" + field, field + " must be a string");
        }
        return Text.checked(field, v.textValue(), maxChars, label);
    }

    /** A list of labels (principals), or null when absent. */
    public List<String> labels(String field, int maxItems, int maxChars) {
        JsonNode v = present(field);
        if (v == null) {
            return null;
        }
        if (!v.isArray() || v.size() > maxItems) {
            throw ApiException.badRequest("invalid_" + field, field + " must be a list of at most " + maxItems + " strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw ApiException.badRequest("invalid_" + field, field + " must be a list of strings");
            }
            String s = Text.checked(field, item.textValue(), maxChars, true);
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** Metadata: a string or a list of strings, at most {@code maxBytes} of UTF-8 in all; absent is empty. */
    public List<String> metadata(String field, int maxBytes) {
        JsonNode v = present(field);
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            out.add(v.textValue());
        } else if (v.isArray()) {
            for (JsonNode item : v) {
                if (!item.isTextual()) {
                    throw ApiException.badRequest("invalid_metadata", "metadata must be a string or a list of strings");
                }
                out.add(item.textValue());
            }
        } else {
            throw ApiException.badRequest("invalid_metadata", "metadata must be a string or a list of strings");
        }
        long bytes = out.stream().mapToLong(s -> s.getBytes(StandardCharsets.UTF_8).length).sum();
        if (bytes > maxBytes) {
            throw ApiException.badRequest("metadata_too_large", "metadata must be at most " + maxBytes + " bytes in all");
        }
        return out;
    }
}
