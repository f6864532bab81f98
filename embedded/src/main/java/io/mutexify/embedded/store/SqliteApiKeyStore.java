package io.mutexify.embedded.store;

import io.mutexify.model.auth.ApiKey;
import io.mutexify.model.port.ApiKeyStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The embedded default's {@link ApiKeyStore}: the {@code api_keys} table, beside the slots in the same file. */
public final class SqliteApiKeyStore implements ApiKeyStore {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteApiKeyStore.class);
    private static final String COLUMNS =
            "id, principal, name, secret_hash, created_at, expires_at, last_used_at, revoked_at";

    private final GroupCommitter committer;
    private final ReadPool readers;

    SqliteApiKeyStore(GroupCommitter committer, ReadPool readers) {
        this.committer = committer;
        this.readers = readers;
    }

    @Override
    public void create(ApiKey k) {
        Objects.requireNonNull(k, "key");
        committer.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, k.id());
                ps.setString(2, k.principal());
                ps.setString(3, k.name());
                ps.setString(4, k.secretHash());
                ps.setLong(5, k.createdAt().toEpochMilli());
                setInstant(ps, 6, k.expiresAt());
                setInstant(ps, 7, k.lastUsedAt());
                setInstant(ps, 8, k.revokedAt());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<ApiKey> list(String principal) {
        Objects.requireNonNull(principal, "principal");
        return readers.read(c -> {
            List<ApiKey> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM api_keys WHERE principal = ? AND revoked_at IS NULL ORDER BY created_at, id")) {
                ps.setString(1, principal);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(key(rs));
                    }
                }
            }
            return keys;
        });
    }

    @Override
    public Optional<ApiKey> find(String id) {
        Objects.requireNonNull(id, "id");
        return readers.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(key(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean revoke(String id, Instant at) {
        return committer.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Queued, not awaited: a call authenticated by a key should not wait for an fsync of its last-use time. */
    @Override
    public void touch(String id, Instant at) {
        try {
            committer.submit(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET last_used_at = ? WHERE id = ?")) {
                    ps.setLong(1, at.toEpochMilli());
                    ps.setString(2, id);
                    return ps.executeUpdate();
                }
            }).exceptionally(e -> {
                LOG.warn("recording the last use of API key {} failed", id, e);
                return 0;
            });
        } catch (IllegalStateException closing) {
            LOG.debug("store closing; last use of API key {} not recorded", id);
        }
    }

    private static ApiKey key(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Instant.ofEpochMilli(rs.getLong(5)), instant(rs, 6), instant(rs, 7), instant(rs, 8));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, java.sql.Types.INTEGER);
        } else {
            ps.setLong(index, value.toEpochMilli());
        }
    }
}
