package dev.jobline.store;

import dev.jobline.job.Job;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The claim's reads: which queued jobs a node may start now. A job is claimable when
 * {@link #CLAIMABLE} holds and it is due (no run_at, or run_at passed). Per queue, ready jobs come
 * from the index {@code jobs_ready} (no run_at) in order, and due ones from {@code jobs_due} by
 * time, so jobs waiting for a later time are never read. A declared queue is locked for the
 * transaction and its running jobs counted, so no number of nodes claiming at once passes its limit.
 */
final class ClaimSql {
    /** What makes a queued job claimable besides being due; one place to add a condition to. */
    static final String CLAIMABLE = "state = 'queued' AND waiting_for IS NULL";
    private static final Comparator<Candidate> ORDER =
            Comparator.comparingInt((Candidate c) -> c.job.priority() == null ? 0 : c.job.priority()).reversed()
                    .thenComparingLong(c -> c.createdSeq);

    private record Candidate(Job job, long createdSeq) {}

    private ClaimSql() {}

    /**
     * Up to {@code max} claimable jobs of {@code types} in queues this node runs: the default queue
     * (null) and the {@code declared} ones with their limits, highest priority first, then oldest.
     */
    static List<Job> ready(Connection c, Dialect d, Collection<String> types, Map<String, Integer> declared, int max, Instant now)
            throws SQLException {
        List<Candidate> all = new ArrayList<>(inQueue(c, d, null, types, max, now));
        for (Map.Entry<String, Integer> q : new TreeMap<>(declared).entrySet()) { // why: sorted, so two nodes lock queues in one order
            d.lockQueue(c, q.getKey());
            int room = Math.min(max, q.getValue() - running(c, d, q.getKey()));
            if (room > 0) all.addAll(inQueue(c, d, q.getKey(), types, room, now));
        }
        all.sort(ORDER);
        List<Job> out = new ArrayList<>(Math.min(max, all.size()));
        for (int i = 0; i < all.size() && i < max; i++) out.add(all.get(i).job);
        return out;
    }

    private static List<Candidate> inQueue(Connection c, Dialect d, String queue, Collection<String> types, int max, Instant now)
            throws SQLException {
        String where = " WHERE " + CLAIMABLE + (queue == null ? " AND queue IS NULL" : " AND queue = ?")
                + " AND type IN (" + "?, ".repeat(types.size() - 1) + "?)";
        String select = "SELECT " + JobRows.COLUMNS + ", created_seq FROM jobs";
        List<Candidate> out = new ArrayList<>();
        // why: each read names its index, so that no plan reads the jobs waiting for a later time
        read(c, select + d.indexedBy("jobs_ready") + where + " AND run_at IS NULL ORDER BY priority DESC, created_seq LIMIT ?"
                + d.skipLocked(), queue, types, null, max, out);
        read(c, select + d.indexedBy("jobs_due") + where + " AND run_at IS NOT NULL AND run_at <= ? ORDER BY priority DESC, created_seq LIMIT ?"
                + d.skipLocked(), queue, types, now, max, out);
        out.sort(ORDER);
        return out.size() > max ? out.subList(0, max) : out;
    }

    private static void read(Connection c, String sql, String queue, Collection<String> types, Instant dueBy, int max, List<Candidate> out)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (queue != null) ps.setString(i++, queue);
            for (String t : types) ps.setString(i++, t);
            if (dueBy != null) ps.setLong(i++, dueBy.toEpochMilli());
            ps.setInt(i, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new Candidate(JobRows.read(rs), rs.getLong("created_seq")));
            }
        }
    }

    /** Jobs of a declared queue running now, on any node. */
    private static int running(Connection c, Dialect d, String queue) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM jobs" + d.indexedBy("jobs_running_by_queue")
                + " WHERE state = 'running' AND queue IS NOT NULL AND queue = ?")) {
            ps.setString(1, queue);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The earliest run_at after {@code now} of a queued job, or null: when the next delayed job comes due. */
    static Instant nextDue(Connection c, Dialect d, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(run_at) FROM jobs" + d.indexedBy("jobs_due") + " WHERE " + CLAIMABLE
                + " AND run_at IS NOT NULL AND run_at > ?")) {
            ps.setLong(1, now.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? null : Instant.ofEpochMilli(v);
            }
        }
    }
}
