package dev.jobline.store;

import dev.jobline.job.LogLine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Job logs in a JDBC store: lines in {@code job_logs}, and one {@code log_heads} row per job with
 * its newest line number at the feed position of the commit that added it, which is how the
 * commit reaches the waiters of every node that reads the feed.
 */
final class JdbcLogs {
    private JdbcLogs() {}

    /** Appends in the writer's transaction; the job row is locked first, so appends to one job are numbered one after another. */
    static long append(GroupWriter.Tx tx, Dialect dialect, String id, List<LogLine> lines, long skipped, int keep) throws SQLException {
        Connection c = tx.c();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM jobs WHERE id = ?" + dialect.forUpdate())) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return 0;
            }
        }
        long last = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT last_n FROM log_heads WHERE job_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) last = rs.getLong(1);
            }
        }
        int from = Math.max(0, lines.size() - keep);
        last += skipped + from;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_logs (job_id, n, at, stream, text) VALUES (?, ?, ?, ?, ?)")) {
            for (LogLine l : lines.subList(from, lines.size())) {
                ps.setString(1, id);
                ps.setLong(2, ++last);
                ps.setLong(3, l.at().toEpochMilli());
                ps.setString(4, l.stream());
                ps.setString(5, l.text());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM job_logs WHERE job_id = ? AND n <= ?")) {
            ps.setString(1, id);
            ps.setLong(2, last - keep);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO log_heads (job_id, last_n, seq) VALUES (?, ?, ?)"
                + " ON CONFLICT (job_id) DO UPDATE SET last_n = excluded.last_n, seq = excluded.seq")) {
            ps.setString(1, id);
            ps.setLong(2, last);
            ps.setLong(3, tx.position());
            ps.executeUpdate();
        }
        tx.logged(id, last);
        return last;
    }

    static LogPage read(Connection c, String id, long after, int limit) throws SQLException {
        long first = 0;
        long last = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT min(n), max(n) FROM job_logs WHERE job_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    first = rs.getLong(1);
                    last = rs.getLong(2);
                }
            }
        }
        if (last == 0) return new LogPage(List.of(), after, 0);
        List<LogLine> out = new ArrayList<>();
        if (after < last) {
            try (PreparedStatement ps = c.prepareStatement("SELECT n, at, stream, text FROM job_logs WHERE job_id = ? AND n > ? ORDER BY n LIMIT ?")) {
                ps.setString(1, id);
                ps.setLong(2, after);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new LogLine(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return new LogPage(out, out.isEmpty() ? after : out.get(out.size() - 1).n(), first - 1);
    }

    /** The jobs whose logs grew at feed positions in (seq, upTo]: id to newest line number. */
    static Map<String, Long> grown(Connection c, long seq, long upTo) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT job_id, last_n FROM log_heads WHERE seq > ? AND seq <= ? ORDER BY seq")) {
            ps.setLong(1, seq);
            ps.setLong(2, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /** Deletes a job's log with the job. */
    static void delete(Connection c, String id) throws SQLException {
        for (String sql : new String[] {"DELETE FROM job_logs WHERE job_id = ?", "DELETE FROM log_heads WHERE job_id = ?"}) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
        }
    }
}
