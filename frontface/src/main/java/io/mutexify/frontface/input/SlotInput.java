package io.mutexify.frontface.input;

import io.mutexify.frontface.http.ApiException;
import io.mutexify.model.command.SlotSpec;
import io.mutexify.model.slot.Limits;
import io.mutexify.model.slot.SlotId;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The bodies of slot calls, validated: register (with an id) and patch. */
public final class SlotInput {
    private static final Set<String> PATCH_FIELDS =
            Set.of("name", "description", "owners", "members", "defaultTimeout", "maxTimeout", "capacity", "units",
                    "lockDelay");
    private static final Set<String> CREATE_FIELDS;

    static {
        var fields = new java.util.HashSet<>(PATCH_FIELDS);
        fields.add("id");
        CREATE_FIELDS = Set.copyOf(fields);
    }

    private SlotInput() {
    }

    /** A validated registration: the new slot's id and its fields. */
    public record Create(String id, SlotSpec spec) {
    }

    public static Create create(byte[] body) {
        JsonBody b = JsonBody.parse(body, false, CREATE_FIELDS);
        String id = b.string("id", Integer.MAX_VALUE, false);
        if (id == null) {
            throw ApiException.badRequest("invalid_slot_id", "id is required");
        }
        SlotIds.require(id);
        return new Create(id, spec(b));
    }

    public static SlotSpec patch(byte[] body) {
        return spec(JsonBody.parse(body, false, PATCH_FIELDS));
    }

    /** Principals are lower-case e-mail addresses, so an ACL entry matches however it was typed. */
    private static List<String> principals(List<String> labels) {
        return labels == null ? null : labels.stream().map(l -> l.toLowerCase(Locale.ROOT)).distinct().toList();
    }

    private static SlotSpec spec(JsonBody b) {
        return new SlotSpec(
                b.string("name", Limits.MAX_NAME_CHARS, false),
                b.string("description", Limits.MAX_DESCRIPTION_CHARS, false),
                principals(b.labels("owners", Limits.MAX_PRINCIPALS, Limits.MAX_OWNER_CHARS)),
                principals(b.labels("members", Limits.MAX_PRINCIPALS, Limits.MAX_OWNER_CHARS)),
                b.integer("defaultTimeout", 1, Limits.MAX_TIMEOUT_CEILING),
                b.integer("maxTimeout", 1, Limits.MAX_TIMEOUT_CEILING),
                b.integer("capacity", 1, Limits.MAX_CAPACITY),
                b.labels("units", Limits.MAX_CAPACITY, Limits.MAX_UNIT_CHARS),
                b.integer("lockDelay", 0, Limits.MAX_LOCK_DELAY));
    }
}
