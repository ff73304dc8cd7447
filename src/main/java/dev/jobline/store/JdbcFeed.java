package dev.jobline.store;

import dev.jobline.job.Job;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A JDBC store's change feed: tombstones of deleted jobs, reading changes after a position, and forgetting old ones. */
final class JdbcFeed {
    private JdbcFeed() {}

    /** Deletes a job whose owner is {@code owner} and leaves a tombstone at the transaction's next position. */
    static void deleteRow(GroupWriter.Tx tx, String id, String owner, Instant now) throws SQLException {
        Connection c = tx.c();
        long seq = tx.position();
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM jobs WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        JdbcDeliveries.delete(c, id);
        JdbcLogs.delete(c, id);
        JdbcDependents.deleted(c, id);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tombstones (seq, id, deleted_at, owner) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, seq);
            ps.setString(2, id);
            ps.setLong(3, now.toEpochMilli());
            ps.setString(4, owner);
            ps.executeUpdate();
        }
        tx.deleted(id, owner);
    }

    /** Forgets tombstones and idempotency keys older than the cutoff; returns the newest position forgotten (0 if none). */
    static long forget(Connection c, Instant cutoff) throws SQLException {
        long upTo = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT max(seq) FROM tombstones WHERE deleted_at < ?")) {
            ps.setLong(1, cutoff.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) upTo = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM tombstones WHERE seq <= ?")) {
            ps.setLong(1, upTo);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM idempotency_keys WHERE created_at < ?")) {
            ps.setLong(1, cutoff.toEpochMilli());
            ps.executeUpdate();
        }
        if (upTo > 0) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE meta SET value = ? WHERE key = 'forgotten_before' AND CAST(value AS BIGINT) < ?")) {
                ps.setString(1, Long.toString(upTo));
                ps.setLong(2, upTo);
                ps.executeUpdate();
            }
        }
        return upTo;
    }

    /** Jobs and tombstones with positions in (seq, upTo], at most {@code limit}, in feed order. */
    static ChangeSet changes(Connection c, long seq, long upTo, int limit) throws SQLException {
        String cols = JobRows.COLUMNS;
        String nulls = "id, NULL, NULL, NULL, seq, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, owner, NULL, NULL, NULL, NULL, NULL, NULL"
                + ", NULL".repeat(FlowColumns.COUNT);
        String sql = "SELECT 0 AS gone, " + cols + " FROM jobs WHERE seq > ? AND seq <= ?"
            + " UNION ALL SELECT 1 AS gone, " + nulls + " FROM tombstones WHERE seq > ? AND seq <= ?"
            + " ORDER BY seq LIMIT ?";
        Map<String, Job> changed = new LinkedHashMap<>();
        List<ChangeSet.Deleted> deleted = new ArrayList<>();
        long cursor = upTo;
        int rows = 0;
        long lastRowSeq = seq;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, seq);
            ps.setLong(2, upTo);
            ps.setLong(3, seq);
            ps.setLong(4, upTo);
            ps.setInt(5, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    lastRowSeq = rs.getLong("seq");
                    if (rs.getInt("gone") == 1) deleted.add(new ChangeSet.Deleted(rs.getString("id"), rs.getString("owner")));
                    else {
                        Job j = JobRows.read(rs);
                        changed.put(j.id(), j);
                    }
                }
            }
        }
        if (rows >= limit) cursor = lastRowSeq;
        return new ChangeSet(List.copyOf(changed.values()), deleted, JdbcLogs.grown(c, seq, cursor), cursor);
    }
}
