package dev.jobline.store;

import dev.jobline.job.Job;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A compare-and-set of one job's row: stored if the row is still at {@code expectedVersion}. The
 * {@link GroupWriter} runs neighbouring updates of one transaction as one JDBC batch, so a
 * transaction of many jobs' progress and ends costs one round trip to the database, not one each.
 */
record RowUpdate(Job next, long expectedVersion) implements GroupWriter.Op<Optional<Job>> {
    private static final String SQL = "UPDATE jobs SET (" + JobRows.COLUMNS + ") = (" + JobRows.MARKS + ") WHERE id = ? AND version = ?";

    @Override
    public Optional<Job> apply(GroupWriter.Tx tx) throws SQLException {
        return applyAll(tx, List.of(this)).getFirst();
    }

    /** Runs {@code run} in order as one batch; each result as {@link #apply} would give it. */
    static List<Optional<Job>> applyAll(GroupWriter.Tx tx, List<RowUpdate> run) throws SQLException {
        List<Job> stored = new ArrayList<>(run.size());
        int[] counts;
        try (PreparedStatement ps = tx.c().prepareStatement(SQL)) {
            for (RowUpdate u : run) {
                Job n = u.next.withSeq(tx.position());
                JobRows.bind(ps, n, n.seq());
                ps.setString(JobRows.COUNT + 1, n.id());
                ps.setLong(JobRows.COUNT + 2, u.expectedVersion);
                if (run.size() == 1) {
                    counts = new int[] {ps.executeUpdate()};
                    return List.of(after(tx, n, counts[0]));
                }
                ps.addBatch();
                stored.add(n);
            }
            counts = ps.executeBatch();
        }
        List<Optional<Job>> out = new ArrayList<>(run.size());
        for (int i = 0; i < stored.size(); i++) out.add(after(tx, stored.get(i), counts[i]));
        return out;
    }

    private static Optional<Job> after(GroupWriter.Tx tx, Job n, int count) throws SQLException {
        if (count != 1 && count != Statement.SUCCESS_NO_INFO) return Optional.empty();
        JdbcDeliveries.createIfDue(tx.c(), n); // why: in the write that ends the job, so no end goes untold
        tx.changed(n);
        if (n.isTerminal()) JdbcDependents.ended(tx, n); // why: in the same write too, so no waiting job or batch misses it
        return Optional.of(n);
    }
}
