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

/** The SQLite store's change feed: tombstones of deleted jobs, reading changes after a position, and forgetting old ones. */
final class SqliteFeed {
    private SqliteFeed() {}

    /** Deletes a job and leaves a tombstone with its owner at {@code seq}; false when there was no such job. */
    static boolean deleteRow(Connection c, String id, long seq, Instant now) throws SQLException {
        String owner;
        try (PreparedStatement ps = c.prepareStatement("SELECT owner FROM jobs WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return false;
                owner = rs.getString(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM jobs WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tombstones (seq, id, deleted_at, owner) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, seq);
            ps.setString(2, id);
            ps.setLong(3, now.toEpochMilli());
            ps.setString(4, owner);
            ps.executeUpdate();
        }
        return true;
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
            try (PreparedStatement ps = c.prepareStatement("UPDATE meta SET value = ? WHERE key = 'forgotten_before' AND CAST(value AS INTEGER) < ?")) {
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
        String nulls = "id, NULL, NULL, NULL, seq, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, owner, NULL";
        String sql = "SELECT 0 AS gone, " + cols + " FROM jobs WHERE seq > ?1 AND seq <= ?2"
            + " UNION ALL SELECT 1 AS gone, " + nulls + " FROM tombstones WHERE seq > ?1 AND seq <= ?2"
            + " ORDER BY seq LIMIT ?3";
        Map<String, Job> changed = new LinkedHashMap<>();
        List<ChangeSet.Deleted> deleted = new ArrayList<>();
        long cursor = upTo;
        int rows = 0;
        long lastRowSeq = seq;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, seq);
            ps.setLong(2, upTo);
            ps.setInt(3, limit);
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
        return new ChangeSet(List.copyOf(changed.values()), deleted, cursor);
    }
}
