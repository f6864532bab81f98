package io.mutexify.embedded.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.embedded.events.WebhookDelivery;
import io.mutexify.embedded.store.SqliteSlotStore;
import io.mutexify.model.json.CloudEvents;
import io.mutexify.model.json.Json;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.OutboxEntry;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.SlotState;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConfig;

/** Reads the server's SQLite store: the snapshot after the run, and, while it runs, how far the webhook got. */
final class StoreReader {
    private StoreReader() {
    }

    /** The store after the run (the server must be stopped); replies are looked up for every operation's request. */
    static StoreSnapshot snapshot(Path dataDir, Collection<Op> ops) throws IOException {
        try (SqliteSlotStore store = SqliteSlotStore.open(dataDir)) {
            Map<String, StoreSnapshot.Slot> slots = new LinkedHashMap<>();
            for (SlotState s : store.loadAll()) {
                List<StoreSnapshot.Ended> history = new ArrayList<>();
                List<HistoryEntry> newestFirst = new ArrayList<>(store.history(s.id(), Integer.MAX_VALUE));
                Collections.reverse(newestFirst);
                for (HistoryEntry h : newestFirst) {
                    history.add(new StoreSnapshot.Ended(h.fence(), h.owner(), h.acquiredAt(), h.endedAt(), h.endReason().wireName()));
                }
                var hold = s.hold();
                slots.put(s.id(), new StoreSnapshot.Slot(s.id(), s.isRegistered(), s.fence(),
                        hold == null ? null : new StoreSnapshot.Hold(hold.fence(), hold.owner(), hold.token(), hold.expireAt()),
                        history));
            }
            Map<String, Attempt> replies = new HashMap<>();
            for (Op op : ops) {
                store.findReply(op.requestId).ifPresent(r -> replies.put(op.requestId, asAttempt(r)));
            }
            List<JsonNode> outbox = new ArrayList<>();
            long after = 0;
            for (List<OutboxEntry> page; !(page = store.outboxAfter(after, 1000)).isEmpty(); after = page.get(page.size() - 1).seq()) {
                for (OutboxEntry e : page) {
                    // Through bytes, as the webhook sends it, so numbers parse to the same node types as the receiver's.
                    outbox.add(Json.mapper().readTree(Json.writeBytes(CloudEvents.toJson(e.event()))));
                }
            }
            return new StoreSnapshot(slots, replies, outbox);
        }
    }

    /**
     * Whether, read while the server runs, every slot is free with nobody in line and the webhook at
     * {@code url} has delivered every outbox entry: nothing more will happen without a client.
     */
    static boolean settled(Path dataDir, URI url) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection c = config.createConnection("jdbc:sqlite:" + dataDir.resolve(SqliteSlotStore.FILE_NAME));
             PreparedStatement states = c.prepareStatement("SELECT state_json FROM slots");
             PreparedStatement max = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM outbox");
             PreparedStatement cursor = c.prepareStatement("SELECT seq FROM cursors WHERE subscriber = ?")) {
            c.setAutoCommit(false); // one read transaction: one consistent view of all three
            try (ResultSet rs = states.executeQuery()) {
                while (rs.next()) {
                    SlotState s = Json.read(rs.getString(1), SlotState.class);
                    if (s.hold() != null || !s.waiters().isEmpty()) {
                        return false;
                    }
                }
            }
            cursor.setString(1, WebhookDelivery.subscriberName(url));
            try (ResultSet m = max.executeQuery(); ResultSet cur = cursor.executeQuery()) {
                long last = m.next() ? m.getLong(1) : 0;
                long delivered = cur.next() ? cur.getLong(1) : 0;
                return delivered >= last;
            }
        }
    }

    private static Attempt asAttempt(Reply r) {
        var lock = r.status() == 200 ? r.lock() : null;
        return new Attempt(0, 0, r.status(), r.error(), lock == null ? null : lock.token(),
                lock == null ? null : lock.fence(), lock == null ? null : lock.expireAt(), false, false);
    }
}
