package dev.jobline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Idempotency-Key rows in a JDBC store, read and taken in the caller's transaction. */
final class JdbcKeys {
    private JdbcKeys() {}

    static Optional<IdempotencyKey> find(Connection c, String scope, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT request_hash, job_id, created_at FROM idempotency_keys WHERE scope = ? AND key = ?")) {
            ps.setString(1, scope);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new IdempotencyKey(scope, key, rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
            }
        }
    }

    /**
     * Stores {@code key} as the key of job {@code jobId}; the key as stored before when another
     * transaction took it first (then this one stored nothing), else empty.
     */
    static Optional<IdempotencyKey> take(Connection c, IdempotencyKey key, String jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO idempotency_keys (scope, key, request_hash, job_id, created_at)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope, key) DO NOTHING")) {
            ps.setString(1, key.scope());
            ps.setString(2, key.key());
            ps.setString(3, key.requestHash());
            ps.setString(4, jobId);
            ps.setLong(5, key.createdAt().toEpochMilli());
            if (ps.executeUpdate() == 1) return Optional.empty();
        }
        return Optional.of(find(c, key.scope(), key.key()).orElseThrow()); // why: another node took the key since we looked
    }
}
