package io.mutexify.frontface.input;

import io.mutexify.model.slot.Limits;
import java.util.List;
import java.util.Set;

/** The bodies of lock calls, validated: acquire {@code {owner?, timeout?, metadata?, wait?, unit?}} and extend {@code {timeout}}. */
public final class LockInput {
    private static final Set<String> ACQUIRE_FIELDS = Set.of("owner", "timeout", "metadata", "wait", "unit");
    private static final Set<String> EXTEND_FIELDS = Set.of("timeout");

    private LockInput() {
    }

    /** A validated acquire body; {@code timeout} null means the slot's default, {@code unit} null any unit. */
    public record Acquire(String owner, Integer timeout, List<String> metadata, int waitSeconds, String unit) {
    }

    public static Acquire acquire(byte[] body) {
        JsonBody b = JsonBody.parse(body, true, ACQUIRE_FIELDS);
        Integer wait = b.integer("wait", 0, Limits.MAX_WAIT_SECONDS);
        return new Acquire(
                b.string("owner", Limits.MAX_OWNER_CHARS, true),
                b.integer("timeout", 1, Limits.MAX_TIMEOUT_CEILING),
                b.metadata("metadata", Limits.MAX_METADATA_BYTES),
                wait == null ? 0 : wait,
                b.string("unit", Limits.MAX_UNIT_CHARS, true));
    }

    public static int extendTimeout(byte[] body) {
        JsonBody b = JsonBody.parse(body, false, EXTEND_FIELDS);
        Integer timeout = b.integer("timeout", 1, Limits.MAX_TIMEOUT_CEILING);
        if (timeout == null) {
            throw io.mutexify.frontface.http.ApiException.badRequest("invalid_timeout", "timeout is required");
        }
        return timeout;
    }
}
