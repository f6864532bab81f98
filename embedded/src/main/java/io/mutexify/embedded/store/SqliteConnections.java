package io.mutexify.embedded.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/** Opens connections to the store's database file with the settings durability and concurrency rely on. */
final class SqliteConnections {
    /** How long a connection waits for a lock held by another connection before failing with SQLITE_BUSY. */
    public static final int BUSY_TIMEOUT_MILLIS = 10_000;
    private static final int WRITER_AUTOCHECKPOINT_PAGES = 10_000;
    private static final long WAL_SIZE_LIMIT_BYTES = 64L * 1024 * 1024;

    private SqliteConnections() {
    }

    /**
     * The one writer connection: WAL journal (readers never block the writer, nor it them) and
     * synchronous=FULL, so COMMIT returns only after the WAL is fsynced; an acknowledged write
     * survives SIGKILL and power loss. The store's {@link GroupCommitter} then takes the fsync over
     * (NORMAL, and its own sync of the WAL before any caller is told), so the writer need not wait.
     */
    public static Connection openWriter(Path file) throws SQLException {
        Connection c = open(file);
        try (Statement st = c.createStatement()) {
            // journal_mode is stored in the file, but asking every time costs nothing and heals a
            // file created by something else.
            String mode = queryString(st, "PRAGMA journal_mode = WAL");
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new SQLException("could not switch " + file + " to WAL mode (got " + mode + ")");
            }
            // synchronous is per connection and not stored: it must be set on every open.
            st.execute("PRAGMA synchronous = FULL");
            // The Checkpointer keeps the WAL short from its own thread; this only bounds the WAL
            // should it fall behind, at the price of one slow commit.
            st.execute("PRAGMA wal_autocheckpoint = " + WRITER_AUTOCHECKPOINT_PAGES);
            // A burst may blow the WAL up; once it has been checkpointed, give the space back.
            st.execute("PRAGMA journal_size_limit = " + WAL_SIZE_LIMIT_BYTES);
        } catch (SQLException e) {
            closeQuietly(c, e);
            throw e;
        }
        return c;
    }

    /** A reader: query_only so a bug cannot write around the group committer and its version checks. */
    public static Connection openReader(Path file) throws SQLException {
        Connection c = open(file);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA query_only = 1");
        } catch (SQLException e) {
            closeQuietly(c, e);
            throw e;
        }
        return c;
    }

    private static Connection open(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        // Nothing here reads generated keys; left on, the driver runs an extra
        // "SELECT last_insert_rowid()" after every insert, a fifth of the writer's time.
        config.setGetGeneratedKeys(false);
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
        } catch (SQLException e) {
            closeQuietly(c, e);
            throw e;
        }
        return c;
    }

    static String queryString(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static void closeQuietly(Connection c, Exception cause) {
        try {
            c.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
