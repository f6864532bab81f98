package io.mutexify.frontface.input;

import io.mutexify.frontface.http.ApiException;

/** Checks on free text: length limits, and no control characters in labels such as owners. */
public final class Text {
    private Text() {
    }

    /** Returns {@code value} if it fits; labels must also be non-empty and free of control characters. */
    static String checked(String field, String value, int maxChars, boolean label) {
        if (value.codePointCount(0, value.length()) > maxChars) {
            throw ApiException.badRequest("invalid_" + field, field + " must be at most " + maxChars + " characters");
        }
        if (label && (value.isBlank() || value.codePoints().anyMatch(Character::isISOControl))) {
            throw ApiException.badRequest("invalid_" + field, field + " must be non-empty text without control characters");
        }
        return value;
    }

    /** Makes untrusted text safe to echo in an error message: control characters replaced, length capped. */
    public static String printable(String s, int max) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(max).forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return b.toString();
    }
}
