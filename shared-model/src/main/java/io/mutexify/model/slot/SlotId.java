package io.mutexify.model.slot;

import java.util.Optional;
import java.util.regex.Pattern;

/** Rules for slot ids: 1–128 characters from {@code A–Z a–z 0–9 . _ : -}, never {@code .} or {@code ..}. */
public final class SlotId {
    public static final int MAX_LENGTH = 128;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private SlotId() {
    }

    /** Returns why {@code id} is not a valid slot id, or empty when it is. */
    public static Optional<String> problem(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of("slot id must not be empty");
        }
        if (id.length() > MAX_LENGTH) {
            return Optional.of("slot id must be at most " + MAX_LENGTH + " characters");
        }
        if (!ALLOWED.matcher(id).matches()) {
            return Optional.of("slot id may hold only A-Z a-z 0-9 . _ : -");
        }
        if (id.equals(".") || id.equals("..")) {
            return Optional.of("slot id must not be '.' or '..'");
        }
        return Optional.empty();
    }

    public static boolean isValid(String id) {
        return problem(id).isEmpty();
    }
}
