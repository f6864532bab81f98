package io.mutexify.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.mutexify.client.LockInfo;
import io.mutexify.client.SlotInfo;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/** How results are printed: {@code KEY=value} lines a shell can {@code eval}, short human lines, or JSON. */
final class Output {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addModule(new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance))
            .build();

    private Output() {
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A lock you hold, as JSON or as the {@link #lockVariables} lines: what acquire and extend print. */
    static void lock(PrintWriter out, LockInfo lock, boolean json) {
        if (json) {
            out.println(json(lock));
        } else {
            lockVariables(out, lock);
        }
    }

    /** A lock you hold, as lines for {@code eval "$(mutexify acquire …)"}. Every value is shell-safe by construction. */
    static void lockVariables(PrintWriter out, LockInfo lock) {
        out.println("MUTEXIFY_SLOT=" + lock.resource());
        out.println("MUTEXIFY_TOKEN=" + lock.token());
        out.println("MUTEXIFY_FENCE=" + lock.fence());
        out.println("MUTEXIFY_TIMEOUT=" + lock.timeout());
        out.println("MUTEXIFY_EXPIRE_AT=" + lock.expireAt());
        if (lock.unit() != null) {
            out.println("MUTEXIFY_UNIT=" + lock.unit());
        }
    }

    static String describe(SlotInfo s) {
        StringBuilder b = new StringBuilder(s.id()).append(": ");
        if (s.lock() == null) {
            b.append("free (last fence ").append(s.fence()).append(')');
        } else {
            LockInfo l = s.lock();
            b.append("held by ").append(l.owner());
            if (l.principal() != null && !l.principal().equals(l.owner())) {
                b.append(" (").append(l.principal()).append(')');
            }
            b.append(", fence ").append(l.fence()).append(", expires ").append(l.expireAt());
        }
        if (s.capacity() > 1) {
            // A pool: every hold, by unit where units are named, and what is left.
            b.append("; pool of ").append(s.capacity()).append(": ");
            for (LockInfo h : s.holds()) {
                b.append(h.unit() == null ? "" : h.unit() + " ").append("by ").append(h.owner())
                        .append(" (fence ").append(h.fence()).append("), ");
            }
            b.append(s.available()).append(" available");
        }
        if (s.waiting() > 0) {
            b.append(", ").append(s.waiting()).append(" waiting");
        }
        return b.toString();
    }

    static void table(PrintWriter out, Iterable<SlotInfo> slots) {
        out.printf("%-32s %-5s %-24s %8s  %s%n", "SLOT", "STATE", "HOLDER", "FENCE", "EXPIRES");
        for (SlotInfo s : slots) {
            LockInfo l = s.lock();
            out.printf("%-32s %-5s %-24s %8d  %s%n", s.id(), s.state(), l == null ? "-" : l.owner(),
                    l == null ? s.fence() : l.fence(), l == null ? "-" : l.expireAt());
        }
    }
}
