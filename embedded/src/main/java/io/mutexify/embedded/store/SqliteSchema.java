package io.mutexify.embedded.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The SQLite schema of the embedded store and the migrations that bring a database file up to it. */
final class SqliteSchema {
    /**
     * Migrations in order; step {@code i} moves a database from {@code PRAGMA user_version = i} to
     * {@code i + 1}. Append new steps, never edit a released one: files in the field are at every step.
     */
    private static final List<List<String>> MIGRATIONS = migrations();

    private static List<List<String>> migrations() {
        return List.of(
            List.of(
                    // version is the optimistic-concurrency counter; the JSON is the whole SlotState.
                    """
                    CREATE TABLE slots (
                        id         TEXT    NOT NULL PRIMARY KEY,
                        version    INTEGER NOT NULL,
                        state_json TEXT    NOT NULL
                    )""",
                    // created_at (epoch millis) lets prune() forget old idempotency records cheaply.
                    """
                    CREATE TABLE replies (
                        request_id TEXT    NOT NULL PRIMARY KEY,
                        slot_id    TEXT    NOT NULL,
                        reply_json TEXT    NOT NULL,
                        created_at INTEGER NOT NULL
                    )""",
                    "CREATE INDEX replies_created_at ON replies (created_at)",
                    // AUTOINCREMENT so a seq is never reused after pruning: subscribers' cursors stay valid.
                    """
                    CREATE TABLE outbox (
                        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
                        event_id   TEXT    NOT NULL,
                        slot_id    TEXT    NOT NULL,
                        event_json TEXT    NOT NULL,
                        created_at INTEGER NOT NULL
                    )""",
                    "CREATE INDEX outbox_created_at ON outbox (created_at)",
                    // id keeps commit order, which is what "newest first" means for one slot's history.
                    """
                    CREATE TABLE history (
                        id         INTEGER PRIMARY KEY AUTOINCREMENT,
                        slot_id    TEXT    NOT NULL,
                        fence      INTEGER NOT NULL,
                        ended_at   INTEGER NOT NULL,
                        entry_json TEXT    NOT NULL
                    )""",
                    "CREATE INDEX history_slot ON history (slot_id, id)",
                    """
                    CREATE TABLE cursors (
                        subscriber TEXT    NOT NULL PRIMARY KEY,
                        seq        INTEGER NOT NULL
                    )"""),
            List.of(
                    // API keys: only the SHA-256 of the secret is kept. Times are epoch millis; the
                    // nullable ones are "never". Revoked keys stay, for the record.
                    """
                    CREATE TABLE api_keys (
                        id           TEXT    NOT NULL PRIMARY KEY,
                        principal    TEXT    NOT NULL,
                        name         TEXT    NOT NULL,
                        secret_hash  TEXT    NOT NULL,
                        created_at   INTEGER NOT NULL,
                        expires_at   INTEGER,
                        last_used_at INTEGER,
                        revoked_at   INTEGER
                    )""",
                    "CREATE INDEX api_keys_principal ON api_keys (principal, created_at)"),
                accessAndHolderIndexes(),
                accessAndHolderColumns());
    }

    /**
     * The writer renders who may see a slot ({@code access}: {"owners": [...], "members": [...]})
     * and who holds it ({@code holders}: a JSON array of principals) as two small columns of the
     * slot row, and the triggers compare and read those instead of parsing the whole state (which
     * grows with the line of waiters) on every write: a string comparison per write, and a parse
     * of a few principals only when they changed. Rows written before get NULL, so their first
     * update rewrites their index rows from the new columns.
     */
    private static List<String> accessAndHolderColumns() {
        String access = """
                INSERT INTO slot_access (principal, slot_id, owner)
                    SELECT value, new.id, MAX(o) FROM (
                        SELECT value, 1 AS o FROM json_each(new.access, '$.owners')
                        UNION ALL SELECT value, 0 FROM json_each(new.access, '$.members'))
                    GROUP BY value;
                """;
        String holders = """
                INSERT INTO slot_holders (principal, slot_id)
                    SELECT DISTINCT value, new.id FROM json_each(new.holders) WHERE value IS NOT NULL;
                """;
        return List.of(
                "ALTER TABLE slots ADD COLUMN access TEXT",
                "ALTER TABLE slots ADD COLUMN holders TEXT",
                "DROP TRIGGER slots_indexed",
                "DROP TRIGGER slots_access_changed",
                "DROP TRIGGER slots_holders_changed",
                "CREATE TRIGGER slots_indexed AFTER INSERT ON slots BEGIN " + access + holders + " END",
                """
                CREATE TRIGGER slots_access_changed AFTER UPDATE OF access ON slots
                WHEN old.access IS NOT new.access
                BEGIN DELETE FROM slot_access WHERE slot_id = old.id;
                """ + access + " END",
                """
                CREATE TRIGGER slots_holders_changed AFTER UPDATE OF holders ON slots
                WHEN old.holders IS NOT new.holders
                BEGIN DELETE FROM slot_holders WHERE slot_id = old.id;
                """ + holders + " END");
    }

    /**
     * Indexes of who may see a slot (owners and members) and who holds it, so a caller's slot
     * list, quota count and own locks are index range reads, however many slots exist. Triggers
     * keep them in step with {@code slots.state_json} inside the writer's transaction; an update
     * that leaves the ACL or the holders alone (an extend) writes nothing to them.
     */
    private static List<String> accessAndHolderIndexes() {
        // Without OR IGNORE: inside a trigger the conflict policy of the statement that fired it
        // (the slot upsert's ABORT) wins, so each principal must come once by construction.
        String access = """
                INSERT INTO slot_access (principal, slot_id, owner)
                    SELECT value, new.id, MAX(o) FROM (
                        SELECT value, 1 AS o FROM json_each(new.state_json, '$.config.owners')
                        UNION ALL SELECT value, 0 FROM json_each(new.state_json, '$.config.members'))
                    GROUP BY value;
                """;
        String holders = """
                INSERT INTO slot_holders (principal, slot_id)
                    SELECT p, new.id FROM (
                        SELECT json_extract(new.state_json, '$.hold.principal') AS p
                        UNION SELECT json_extract(value, '$.principal') FROM json_each(new.state_json, '$.otherHolds'))
                    WHERE p IS NOT NULL;
                """;
        return List.of(
                """
                CREATE TABLE slot_access (
                    principal TEXT    NOT NULL,
                    slot_id   TEXT    NOT NULL,
                    owner     INTEGER NOT NULL,
                    PRIMARY KEY (principal, slot_id)
                ) WITHOUT ROWID""",
                "CREATE INDEX slot_access_slot ON slot_access (slot_id)",
                """
                CREATE TABLE slot_holders (
                    principal TEXT NOT NULL,
                    slot_id   TEXT NOT NULL,
                    PRIMARY KEY (principal, slot_id)
                ) WITHOUT ROWID""",
                "CREATE INDEX slot_holders_slot ON slot_holders (slot_id)",
                "CREATE TRIGGER slots_indexed AFTER INSERT ON slots BEGIN " + access + holders + " END",
                // One parse of each side compares owners and members together.
                """
                CREATE TRIGGER slots_access_changed AFTER UPDATE OF state_json ON slots
                WHEN json_extract(old.state_json, '$.config.owners', '$.config.members')
                     IS NOT json_extract(new.state_json, '$.config.owners', '$.config.members')
                BEGIN DELETE FROM slot_access WHERE slot_id = old.id;
                """ + access + " END",
                """
                CREATE TRIGGER slots_holders_changed AFTER UPDATE OF state_json ON slots
                WHEN json_extract(old.state_json, '$.hold.principal', '$.otherHolds')
                     IS NOT json_extract(new.state_json, '$.hold.principal', '$.otherHolds')
                BEGIN DELETE FROM slot_holders WHERE slot_id = old.id;
                """ + holders + " END",
                // Files written before these indexes existed: fill them from the stored states.
                """
                INSERT OR IGNORE INTO slot_access (principal, slot_id, owner)
                    SELECT j.value, s.id, 1 FROM slots s, json_each(s.state_json, '$.config.owners') j""",
                """
                INSERT OR IGNORE INTO slot_access (principal, slot_id, owner)
                    SELECT j.value, s.id, 0 FROM slots s, json_each(s.state_json, '$.config.members') j""",
                """
                INSERT OR IGNORE INTO slot_holders (principal, slot_id)
                    SELECT json_extract(s.state_json, '$.hold.principal'), s.id FROM slots s
                    WHERE json_extract(s.state_json, '$.hold.principal') IS NOT NULL""",
                """
                INSERT OR IGNORE INTO slot_holders (principal, slot_id)
                    SELECT json_extract(j.value, '$.principal'), s.id FROM slots s, json_each(s.state_json, '$.otherHolds') j
                    WHERE json_extract(j.value, '$.principal') IS NOT NULL""");
    }

    /** The schema version this code reads and writes. */
    public static final int CURRENT_VERSION = MIGRATIONS.size();

    private SqliteSchema() {
    }

    /**
     * Brings the database on {@code connection} (the writer, in autocommit mode) up to
     * {@link #CURRENT_VERSION}, all steps in one transaction; returns the version it found.
     */
    public static int migrate(Connection connection) throws SQLException {
        return migrate(connection, CURRENT_VERSION);
    }

    /** As {@link #migrate(Connection)}, up to {@code target}: for tests that need a file an older build left. */
    static int migrate(Connection connection, int target) throws SQLException {
        try (Statement st = connection.createStatement()) {
            // IMMEDIATE takes the write lock before reading user_version, so two processes opening
            // the same new file cannot both decide to create the tables.
            st.execute("BEGIN IMMEDIATE");
            try {
                int found = userVersion(st);
                if (found > CURRENT_VERSION) {
                    throw new SQLException("database schema version " + found
                            + " is newer than this build understands (" + CURRENT_VERSION + ")");
                }
                int to = Math.max(found, target);
                for (int v = found; v < to; v++) {
                    for (String sql : MIGRATIONS.get(v)) {
                        st.execute(sql);
                    }
                }
                // PRAGMA takes no bound parameters; the value is our own integer.
                st.execute("PRAGMA user_version = " + to);
                st.execute("COMMIT");
                return found;
            } catch (SQLException | RuntimeException e) {
                try {
                    st.execute("ROLLBACK");
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            }
        }
    }

    private static int userVersion(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
