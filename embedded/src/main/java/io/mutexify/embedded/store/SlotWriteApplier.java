package io.mutexify.embedded.store;

import io.mutexify.model.event.LockEvent;
import io.mutexify.model.json.Json;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.SlotWrite;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.SlotState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applies one {@link SlotWrite} on the writer connection: write the slot if it is still at the
 * expected version, then its replies, outbox events and history; or write nothing at all.
 */
final class SlotWriteApplier {
    /**
     * A write with every JSON document already rendered. Encoding happens on the caller's thread,
     * so the single writer thread spends its time on SQL only.
     */
    public record Encoded(String slotId, long expectedVersion, String stateJson, String accessJson,
                          String holdersJson, List<Row> replies, List<Row> events, List<HistoryRow> history,
                          long atMillis) {
    }

    /** A reply or outbox row: its key and its JSON. */
    public record Row(String key, String json) {
    }

    /** A history row: the columns we index or may filter on, and the whole entry as JSON. */
    public record HistoryRow(long fence, long endedAtMillis, String json) {
    }

    private final ReusableStatement selectVersion;
    private final ReusableStatement insertSlot;
    private final ReusableStatement updateSlot;
    private final ReusableStatement insertReply;
    private final ReusableStatement insertEvent;
    private final ReusableStatement insertHistory;

    /** Prepares its statements once on {@code writer}; use it only from the writer thread. */
    public SlotWriteApplier(Connection writer) throws SQLException {
        selectVersion = new ReusableStatement(writer, "SELECT version FROM slots WHERE id = ?");
        // The version check is part of the write itself: no SELECT before it. A row is never deleted and
        // its version only grows, so "no row" is exactly version 0.
        insertSlot = new ReusableStatement(writer,
                "INSERT INTO slots (id, version, state_json, access, holders) VALUES (?, 1, ?, ?, ?)"
                        + " ON CONFLICT (id) DO NOTHING");
        // The triggers on slot_access and slot_holders fire only when access or holders changed.
        updateSlot = new ReusableStatement(writer,
                "UPDATE slots SET version = version + 1, state_json = ?, access = ?, holders = ?"
                        + " WHERE id = ? AND version = ?");
        // A reply is a pure function of its request; storing it again (a redelivery that got past
        // the lookup) may only replace it with the same answer.
        insertReply = new ReusableStatement(writer, 
                "INSERT OR REPLACE INTO replies (request_id, slot_id, reply_json, created_at) VALUES (?, ?, ?, ?)");
        insertEvent = new ReusableStatement(writer, 
                "INSERT INTO outbox (event_id, slot_id, event_json, created_at) VALUES (?, ?, ?, ?)");
        insertHistory = new ReusableStatement(writer, 
                "INSERT INTO history (slot_id, fence, ended_at, entry_json) VALUES (?, ?, ?, ?)");
    }

    /** Renders {@code write}'s documents; the stored state carries the version it will have once committed. */
    public static Encoded encode(SlotWrite write) {
        Objects.requireNonNull(write, "write");
        Objects.requireNonNull(write.slotId(), "slotId");
        if (write.expectedVersion() < 0) {
            throw new IllegalArgumentException("expectedVersion must not be negative: " + write.expectedVersion());
        }
        if (write.newState() != null && !write.slotId().equals(write.newState().id())) {
            throw new IllegalArgumentException("state of slot " + write.newState().id()
                    + " written to slot " + write.slotId());
        }
        SlotState state = write.newState();
        String stateJson = state == null ? null : Json.write(state.withVersion(write.expectedVersion() + 1));
        List<Row> replies = write.replies().stream().map(SlotWriteApplier::replyRow).toList();
        List<Row> events = write.events().stream().map(SlotWriteApplier::eventRow).toList();
        List<HistoryRow> history = write.history().stream().map(SlotWriteApplier::historyRow).toList();
        Instant at = write.at() != null ? write.at() : Instant.now();
        return new Encoded(write.slotId(), write.expectedVersion(), stateJson,
                state == null ? null : accessJson(state), state == null ? null : holdersJson(state),
                replies, events, history, at.toEpochMilli());
    }

    /** Who may see the slot, as the access column keeps it: {"owners": [...], "members": [...]}. */
    static String accessJson(SlotState state) {
        Map<String, List<String>> access = new LinkedHashMap<>();
        access.put("owners", state.config() == null ? List.of() : state.config().owners());
        access.put("members", state.config() == null ? List.of() : state.config().members());
        return Json.write(access);
    }

    /** Who holds the slot, as the holders column keeps it: the principals of its holds, in order. */
    static String holdersJson(SlotState state) {
        List<String> principals = new ArrayList<>();
        if (state.hold() != null) {
            principals.add(state.hold().principal());
        }
        state.otherHolds().forEach(h -> principals.add(h.principal()));
        return Json.write(principals);
    }

    private static Row replyRow(Reply reply) {
        if (reply.requestId() == null) {
            throw new IllegalArgumentException("a stored reply needs a request id");
        }
        return new Row(reply.requestId(), Json.write(reply));
    }

    private static Row eventRow(LockEvent event) {
        return new Row(event.id() == null ? "" : event.id(), Json.write(event));
    }

    private static HistoryRow historyRow(HistoryEntry entry) {
        long endedAt = entry.endedAt() == null ? 0 : entry.endedAt().toEpochMilli();
        return new HistoryRow(entry.fence(), endedAt, Json.write(entry));
    }

    /**
     * Writes {@code w} if the slot is still at {@code w.expectedVersion()}; returns false, having
     * written nothing, if it is not. Must run inside the writer's transaction: the check and the
     * writes are atomic only because the transaction holds the database's write lock.
     */
    public boolean apply(Encoded w) throws SQLException {
        if (w.stateJson() == null) {
            if (currentVersion(w.slotId()) != w.expectedVersion()) {
                return false;
            }
        } else if (writeSlot(w) != 1) {
            return false; // nothing written: the slot is not at the expected version
        }
        for (Row r : w.replies()) {
            insertRow(insertReply, r, w);
        }
        // Outbox rows get their seq in insertion order, so events keep the order the machine made them in.
        for (Row e : w.events()) {
            insertRow(insertEvent, e, w);
        }
        for (HistoryRow h : w.history()) {
            insertHistory.use(ps -> {
                ps.setString(1, w.slotId());
                ps.setLong(2, h.fence());
                ps.setLong(3, h.endedAtMillis());
                ps.setString(4, h.json());
                return ps.executeUpdate();
            });
        }
        return true;
    }

    /** Writes the slot's new state if it is at the expected version; returns the rows written (0 or 1). */
    private int writeSlot(Encoded w) throws SQLException {
        if (w.expectedVersion() == 0) {
            return insertSlot.use(ps -> {
                ps.setString(1, w.slotId());
                ps.setString(2, w.stateJson());
                ps.setString(3, w.accessJson());
                ps.setString(4, w.holdersJson());
                return ps.executeUpdate();
            });
        }
        return updateSlot.use(ps -> {
            ps.setString(1, w.stateJson());
            ps.setString(2, w.accessJson());
            ps.setString(3, w.holdersJson());
            ps.setString(4, w.slotId());
            ps.setLong(5, w.expectedVersion());
            return ps.executeUpdate();
        });
    }

    /** A reply or outbox row: (key, slot, json, created_at). */
    private static void insertRow(ReusableStatement insert, Row row, Encoded w) throws SQLException {
        insert.use(ps -> {
            ps.setString(1, row.key());
            ps.setString(2, w.slotId());
            ps.setString(3, row.json());
            ps.setLong(4, w.atMillis());
            return ps.executeUpdate();
        });
    }

    /** The slot's committed version, 0 when it has no row. */
    private long currentVersion(String slotId) throws SQLException {
        return selectVersion.use(ps -> {
            ps.setString(1, slotId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }
}
