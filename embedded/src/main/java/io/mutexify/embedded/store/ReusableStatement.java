package io.mutexify.embedded.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A statement on the writer, prepared once and reused, and prepared anew after any failure:
 * sqlite-jdbc finalizes a statement whose step failed with some errors (SQLITE_FULL from a full
 * disk among them) without saying so, and a writer that kept the dead one would fail every later
 * write, even once space returns. Used on the writer thread only.
 */
final class ReusableStatement {
    /** What to do with the statement; may throw, which marks it for preparing anew. */
    @FunctionalInterface
    interface Use<T> {
        T apply(PreparedStatement statement) throws SQLException;
    }

    private final Connection connection;
    private final String sql;
    private PreparedStatement statement;

    ReusableStatement(Connection connection, String sql) throws SQLException {
        this.connection = connection;
        this.sql = sql;
        this.statement = connection.prepareStatement(sql);
    }

    <T> T use(Use<T> use) throws SQLException {
        if (statement == null) {
            statement = connection.prepareStatement(sql);
        }
        try {
            return use.apply(statement);
        } catch (SQLException | RuntimeException e) {
            PreparedStatement dead = statement;
            statement = null;
            try {
                dead.close();
            } catch (SQLException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    /** Runs a statement that takes no parameters. */
    void execute() throws SQLException {
        use(PreparedStatement::execute);
    }
}
