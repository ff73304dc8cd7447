package dev.jobline.store;

import dev.jobline.job.Job;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The SQL of callback deliveries, shared by every JDBC store: created with a job's end, claimed under a lease, recorded, listed, deleted with the job. */
final class JdbcDeliveries {
    private JdbcDeliveries() {}

    /** Creates the pending delivery of {@code j} if it has just ended with a callback; once per job. */
    static void createIfDue(Connection c, Job j) throws SQLException {
        if (!Delivery.due(j)) return;
        Delivery d = Delivery.of(j);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO deliveries (id, job_id, url, event, state, attempts, created_at, due_at,"
                + " lease_until) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, 0) ON CONFLICT (job_id) DO NOTHING")) {
            ps.setString(1, d.id());
            ps.setString(2, d.jobId());
            ps.setString(3, d.url());
            ps.setString(4, d.event());
            ps.setLong(5, d.createdAt().toEpochMilli());
            ps.setLong(6, d.dueAt().toEpochMilli());
            ps.executeUpdate();
        }
    }

    static DeliveryClaim claim(Connection c, Dialect dialect, String node, Instant now, Instant leaseUntil, int max) throws SQLException {
        // why: in a store one process owns, a lease held by another node id is an orphan of a previous life
        String free = dialect.exclusive() ? "(lease_until <= ? OR lease_node <> ?)" : "lease_until <= ?";
        List<Delivery> ready = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, job_id, url, event, attempts, created_at, due_at FROM deliveries"
                + " WHERE state = 'pending' AND due_at <= ? AND " + free + " ORDER BY due_at LIMIT ?" + dialect.skipLocked())) {
            ps.setLong(1, now.toEpochMilli());
            ps.setLong(2, now.toEpochMilli());
            int i = 3;
            if (dialect.exclusive()) ps.setString(i++, node);
            ps.setInt(i, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ready.add(new Delivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                            Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7))));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE deliveries SET lease_node = ?, lease_until = ? WHERE id = ?")) {
            for (Delivery d : ready) {
                ps.setString(1, node);
                ps.setLong(2, leaseUntil.toEpochMilli());
                ps.setString(3, d.id());
                ps.executeUpdate();
            }
        }
        Instant next = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT min(CASE WHEN lease_until > due_at THEN lease_until ELSE due_at END)"
                + " FROM deliveries WHERE state = 'pending'");
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                long v = rs.getLong(1);
                if (!rs.wasNull()) next = Instant.ofEpochMilli(v);
            }
        }
        return new DeliveryClaim(ready, next);
    }

    static boolean record(Connection c, Delivery d, String node, DeliveryAttempt a, Instant nextDue) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE deliveries SET attempts = ?, state = ?, due_at = ?, lease_node = NULL,"
                + " lease_until = 0 WHERE id = ? AND attempts = ? AND lease_node = ? AND state = 'pending'")) {
            ps.setInt(1, a.attempt());
            ps.setString(2, a.state().wireName());
            ps.setLong(3, (nextDue != null ? nextDue : a.at()).toEpochMilli());
            ps.setString(4, d.id());
            ps.setInt(5, a.attempt() - 1);
            ps.setString(6, node);
            if (ps.executeUpdate() != 1) return false;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO delivery_attempts (delivery_id, job_id, attempt, at, status, error, state)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, d.id());
            ps.setString(2, d.jobId());
            ps.setInt(3, a.attempt());
            ps.setLong(4, a.at().toEpochMilli());
            if (a.status() == null) ps.setNull(5, java.sql.Types.INTEGER);
            else ps.setInt(5, a.status());
            ps.setString(6, a.error());
            ps.setString(7, a.state().wireName());
            ps.executeUpdate();
        }
        return true;
    }

    static List<DeliveryAttempt> list(Connection c, String jobId) throws SQLException {
        List<DeliveryAttempt> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT d.id, a.attempt, a.at, a.status, a.error, a.state, d.created_at"
                + " FROM deliveries d LEFT JOIN delivery_attempts a ON a.delivery_id = d.id WHERE d.job_id = ? ORDER BY a.attempt")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String state = rs.getString(6);
                    if (state == null) { // why: no attempt yet; the delivery shows as pending
                        out.add(new DeliveryAttempt(rs.getString(1), 0, Instant.ofEpochMilli(rs.getLong(7)), null, null, Delivery.State.PENDING));
                        continue;
                    }
                    int status = rs.getInt(4);
                    Integer st = rs.wasNull() ? null : status;
                    out.add(new DeliveryAttempt(rs.getString(1), rs.getInt(2), Instant.ofEpochMilli(rs.getLong(3)), st, rs.getString(5),
                            Delivery.State.fromWire(state)));
                }
            }
        }
        return out;
    }

    /** Deletes a job's delivery and its attempts, with the job. */
    static void delete(Connection c, String jobId) throws SQLException {
        for (String table : new String[] {"delivery_attempts", "deliveries"}) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE job_id = ?")) {
                ps.setString(1, jobId);
                ps.executeUpdate();
            }
        }
    }
}
