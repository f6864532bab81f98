package io.mutexify.embedded.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mutexify.model.auth.ApiKey;
import io.mutexify.model.port.ApiKeyStore;
import io.mutexify.model.port.ApiKeyStoreContract;
import io.mutexify.model.port.SlotWrite;
import io.mutexify.model.slot.SlotConfig;
import io.mutexify.model.slot.SlotState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API keys in SQLite: the key store contract, kept across a reopen; and schema 2 added to a schema-1 file without loss. */
class SqliteApiKeyStoreTest extends ApiKeyStoreContract {
    @TempDir
    Path dir;
    private SqliteSlotStore contractStore;

    @Override
    protected ApiKeyStore newKeyStore() {
        contractStore = SqliteSlotStore.open(dir.resolve("contract"));
        return contractStore.apiKeys();
    }

    @AfterEach
    void closeContractStore() {
        contractStore.close();
    }

    private static ApiKey key(String id, String principal, Instant expiresAt) {
        return new ApiKey(id, principal, "name-" + id, "hash-" + id, T0, expiresAt, null, null);
    }

    @Test
    void keysAreStoredListedByMakerFoundRevokedAndTouched() {
        try (SqliteSlotStore store = SqliteSlotStore.open(dir)) {
            SqliteApiKeyStore keys = store.apiKeys();
            keys.create(key("a1", "alice@example.com", null));
            keys.create(key("a2", "alice@example.com", T0.plusSeconds(60)));
            keys.create(key("b1", "bob@example.com", null));

            assertThat(keys.list("alice@example.com")).extracting(ApiKey::id).containsExactly("a1", "a2");
            assertThat(keys.find("a2")).contains(key("a2", "alice@example.com", T0.plusSeconds(60)));
            assertThat(keys.find("zz")).isEmpty();
            assertThatThrownBy(() -> keys.create(key("a1", "eve@example.com", null))).isInstanceOf(RuntimeException.class);

            assertThat(keys.revoke("a1", T0.plusSeconds(5))).isTrue();
            assertThat(keys.revoke("a1", T0.plusSeconds(6))).isFalse();
            assertThat(keys.find("a1").orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(5));
            assertThat(keys.list("alice@example.com")).extracting(ApiKey::id).containsExactly("a2");

            keys.touch("b1", T0.plusSeconds(9));
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> T0.plusSeconds(9).equals(keys.find("b1").orElseThrow().lastUsedAt()));
        }
        try (SqliteSlotStore reopened = SqliteSlotStore.open(dir)) {
            assertThat(reopened.apiKeys().find("b1").orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(9));
        }
    }

    @Test
    void aSchemaOneFileGainsTheKeyTableAndKeepsItsSlots() throws Exception {
        SlotState slot = new SlotState("kept", new SlotConfig(null, null, List.of("alice"), List.of(), 60, 3600, T0, T0),
                4, null, List.of(), 0);
        try (SqliteSlotStore store = SqliteSlotStore.open(dir)) {
            store.commit(new SlotWrite("kept", 0, slot, List.of(), List.of(), List.of(), T0));
        }
        // Make it the file an older build left behind: schema 1, no api_keys table, no access indexes.
        try (Connection c = SqliteConnections.openWriter(dir.resolve(SqliteSlotStore.FILE_NAME)); Statement st = c.createStatement()) {
            st.execute("DROP TABLE api_keys");
            for (String trigger : List.of("slots_indexed", "slots_access_changed", "slots_holders_changed")) {
                st.execute("DROP TRIGGER " + trigger);
            }
            st.execute("DROP TABLE slot_access");
            st.execute("DROP TABLE slot_holders");
            st.execute("ALTER TABLE slots DROP COLUMN access");
            st.execute("ALTER TABLE slots DROP COLUMN holders");
            st.execute("PRAGMA user_version = 1");
        }

        try (SqliteSlotStore store = SqliteSlotStore.open(dir)) {
            assertThat(store.load("kept").fence()).isEqualTo(4);
            assertThat(store.load("kept").config().owners()).containsExactly("alice");
            // The owner index was filled from the stored slots.
            assertThat(store.page("alice", "", 10)).extracting(SlotState::id).containsExactly("kept");
            assertThat(store.countOwned("alice", 10)).isEqualTo(1);
            store.apiKeys().create(key("k1", "alice", null));
            assertThat(store.apiKeys().find("k1")).isPresent();
        }
        try (Connection c = SqliteConnections.openReader(dir.resolve(SqliteSlotStore.FILE_NAME)); Statement st = c.createStatement()) {
            assertThat(SqliteConnections.queryString(st, "PRAGMA user_version")).isEqualTo(Integer.toString(SqliteSchema.CURRENT_VERSION));
        }
    }
}
