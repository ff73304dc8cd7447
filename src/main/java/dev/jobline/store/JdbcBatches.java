package dev.jobline.store;

import dev.jobline.job.Job;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores a batch in a JDBC store: its parent, its counts and all its children in the caller's one
 * transaction, the children as one JDBC batch (ten thousand rows are one round trip, not ten
 * thousand). Any child whose dependencies refuse it refuses the whole batch. The batch's
 * Idempotency-Key, if any, is taken in the same transaction, before anything is written.
 */
final class JdbcBatches {
    private JdbcBatches() {}

    static Insert insert(GroupWriter.Tx tx, Dialect dialect, Job parent, List<Job> children, IdempotencyKey key) throws SQLException {
        Connection c = tx.c();
        List<Job> admitted = new ArrayList<>(children.size());
        for (int i = 0; i < children.size(); i++) {
            JdbcDependents.Admitted a = JdbcDependents.admit(c, dialect, children.get(i), i);
            if (a.refused() != null) return a.refused();
            admitted.add(a.job());
        }
        if (key != null) {
            java.util.Optional<IdempotencyKey> taken = JdbcKeys.take(c, key, parent.id());
            if (taken.isPresent()) return new Insert.KeyTaken(taken.get());
        }
        List<Job> stored = new ArrayList<>(children.size() + 1);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (" + JobRows.COLUMNS + ", created_seq) VALUES ("
                + JobRows.MARKS + ", ?)")) {
            for (Job j : prepend(parent, admitted)) {
                long seq = tx.position();
                JobRows.bind(ps, j, seq);
                ps.setLong(JobRows.COUNT + 1, seq);
                ps.addBatch();
                stored.add(j.withSeq(seq));
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO batches (id, total, done, failed, percent_sum) VALUES (?, ?, 0, 0, 0)")) {
            ps.setString(1, parent.id());
            ps.setLong(2, children.size());
            ps.executeUpdate();
        }
        JdbcDependents.link(c, stored);
        for (Job j : stored) tx.changed(j);
        return new Insert.Inserted(stored.getFirst());
    }

    private static List<Job> prepend(Job first, List<Job> rest) {
        List<Job> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
