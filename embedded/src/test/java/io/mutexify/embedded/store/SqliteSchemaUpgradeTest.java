package io.mutexify.embedded.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.json.Json;
import io.mutexify.model.port.SlotWrite;
import io.mutexify.model.slot.Hold;
import io.mutexify.model.slot.SlotConfig;
import io.mutexify.model.slot.SlotState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file written by the build before the access and holders columns: its indexes stay right after the upgrade. */
class SqliteSchemaUpgradeTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void slotsWrittenBeforeTheColumnsKeepTheirIndexesAndTheFirstWritesRewriteThem() throws Exception {
        SlotState held = slot(List.of("bob"), hold("carol", 1));
        try (Connection c = SqliteConnections.openWriter(dir.resolve(SqliteSlotStore.FILE_NAME))) {
            SqliteSchema.migrate(c, 3);
            // As the older build wrote it: state only, its triggers parse the state for the indexes.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO slots (id, version, state_json) VALUES ('s', 1, ?)")) {
                ps.setString(1, Json.write(held.withVersion(1)));
                ps.executeUpdate();
            }
        }

        try (SqliteSlotStore store = SqliteSlotStore.open(dir)) {
            assertThat(store.page("alice", "", 10)).extracting(SlotState::id).containsExactly("s");
            assertThat(store.page("bob", "", 10)).extracting(SlotState::id).containsExactly("s");
            assertThat(store.heldBy("carol")).extracting(SlotState::id).containsExactly("s");

            // Released, and bob swapped for dave: both indexes follow the first write after the upgrade.
            SlotState released = slot(List.of("dave"), null);
            assertThat(store.commit(new SlotWrite("s", 1, released, List.of(), List.of(), List.of(), T0))).isTrue();
            assertThat(store.heldBy("carol")).isEmpty();
            assertThat(store.page("bob", "", 10)).isEmpty();
            assertThat(store.page("dave", "", 10)).extracting(SlotState::id).containsExactly("s");
            assertThat(store.page("alice", "", 10)).extracting(SlotState::id).containsExactly("s");

            // A grant to erin touches only the holders.
            SlotState granted = slot(List.of("dave"), hold("erin", 2));
            assertThat(store.commit(new SlotWrite("s", 2, granted, List.of(), List.of(), List.of(), T0))).isTrue();
            assertThat(store.heldBy("erin")).extracting(SlotState::id).containsExactly("s");
            assertThat(store.page("dave", "", 10)).extracting(SlotState::id).containsExactly("s");
        }
        try (Connection c = SqliteConnections.openReader(dir.resolve(SqliteSlotStore.FILE_NAME)); Statement st = c.createStatement()) {
            assertThat(SqliteConnections.queryString(st, "PRAGMA user_version"))
                    .isEqualTo(Integer.toString(SqliteSchema.CURRENT_VERSION));
            assertThat(SqliteConnections.queryString(st, "SELECT holders FROM slots WHERE id = 's'")).isEqualTo("[\"erin\"]");
            assertThat(SqliteConnections.queryString(st, "SELECT access FROM slots WHERE id = 's'"))
                    .isEqualTo("{\"owners\":[\"alice\"],\"members\":[\"dave\"]}");
        }
    }

    @Test
    void aWriteThatLeavesHoldersAndAccessAloneKeepsTheirIndexRows() throws Exception {
        try (SqliteSlotStore store = SqliteSlotStore.open(dir)) {
            SlotState held = slot(List.of("bob"), hold("carol", 1));
            assertThat(store.commit(new SlotWrite("s", 0, held, List.of(), List.of(), List.of(), T0))).isTrue();
            assertThat(store.commit(new SlotWrite("s", 1, held.withFence(2), List.of(), List.of(), List.of(), T0))).isTrue();

            assertThat(store.heldBy("carol")).extracting(SlotState::id).containsExactly("s");
            assertThat(store.page("bob", "", 10)).extracting(SlotState::id).containsExactly("s");
        }
    }

    private static SlotState slot(List<String> members, Hold hold) {
        SlotConfig config = new SlotConfig(null, null, List.of("alice"), members, 60, 3600, T0, T0);
        return new SlotState("s", config, hold == null ? 1 : hold.fence(), hold, List.of(), 0, 0, List.of());
    }

    private static Hold hold(String principal, long fence) {
        return new Hold("h" + fence, principal, principal, "token-" + fence, fence, 60, List.of(), T0, T0,
                T0.plusSeconds(60));
    }
}
