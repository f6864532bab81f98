package io.mutexify.embedded.store;

import io.mutexify.model.json.Json;
import io.mutexify.model.slot.SlotState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The slot store's reads of many slots: every slot, a page of the list, how many a principal owns
 * and what it holds; each a range read of a key or an index kept by trigger (schema step 3).
 */
final class SlotQueries {
    private final ReadPool readers;

    SlotQueries(ReadPool readers) {
        this.readers = readers;
    }

    List<SlotState> all() {
        return readers.read(c -> {
            List<SlotState> all = new ArrayList<>();
            // Slot ids are ASCII, so SQLite's binary order is the same as String order.
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT version, state_json FROM slots ORDER BY id")) {
                while (rs.next()) {
                    all.add(state(rs));
                }
            }
            return all;
        });
    }

    List<SlotState> page(String principal, String afterId, int limit) {
        Objects.requireNonNull(afterId, "afterId");
        if (limit <= 0) {
            return List.of();
        }
        // Both are range reads of a primary key: the cost grows with the page, not with the store.
        String sql = principal == null
                ? "SELECT version, state_json FROM slots WHERE id > ? ORDER BY id LIMIT ?"
                : "SELECT s.version, s.state_json FROM slot_access a JOIN slots s ON s.id = a.slot_id"
                        + " WHERE a.principal = ? AND a.slot_id > ? ORDER BY a.slot_id LIMIT ?";
        return readers.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (principal != null) {
                    ps.setString(i++, principal);
                }
                ps.setString(i++, afterId);
                ps.setInt(i, limit);
                return states(ps);
            }
        });
    }

    long countOwned(String principal, long upTo) {
        Objects.requireNonNull(principal, "principal");
        return readers.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM slot_access WHERE principal = ? AND owner = 1 LIMIT ?)")) {
                ps.setString(1, principal);
                ps.setLong(2, Math.max(0, upTo));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    List<SlotState> heldBy(String principal) {
        Objects.requireNonNull(principal, "principal");
        return readers.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT s.version, s.state_json FROM slot_holders h"
                    + " JOIN slots s ON s.id = h.slot_id WHERE h.principal = ? ORDER BY h.slot_id")) {
                ps.setString(1, principal);
                return states(ps);
            }
        });
    }

    private static List<SlotState> states(PreparedStatement ps) throws SQLException {
        List<SlotState> states = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                states.add(state(rs));
            }
        }
        return states;
    }

    /** The stored document with the row's version: the column is the truth, not the copy inside the JSON. */
    static SlotState state(ResultSet rs) throws SQLException {
        return Json.read(rs.getString(2), SlotState.class).withVersion(rs.getLong(1));
    }
}
