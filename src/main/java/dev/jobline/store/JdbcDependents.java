package dev.jobline.store;

import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import dev.jobline.job.Transitions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Dependencies ({@code after}) and batches in a JDBC store, in the transactions that cause them: a
 * new job's dependencies are checked (and locked) by its insert, and the write that ends a job
 * releases or cancels the jobs waiting for it and moves its batch's parent, so none of it is
 * lost to a crash or missed by another node. The jobs waiting for one are found through
 * {@code job_deps} by an index, never by a scan.
 */
final class JdbcDependents {
    /** How often a write to a waiting job or a parent is tried again after it lost a race with another writer. */
    private static final int ROUNDS = 20;
    /** Jobs ended in this writer's transaction whose dependents and parent are still to be told (the writer is one thread). */
    private static final ThreadLocal<ArrayDeque<Job>> PENDING = new ThreadLocal<>();

    private JdbcDependents() {}

    /** What a new job's dependencies allow: the job to store (waiting for those not yet succeeded), or why not. */
    record Admitted(Job job, Insert.DependencyRefused refused) {}

    /**
     * Checks {@code job.after()}: each must exist and be of the job's owner; one that failed or was
     * cancelled refuses the job; one that succeeded is not waited for. The rows read are locked
     * until the insert commits, so a dependency cannot end unseen in between.
     */
    static Admitted admit(Connection c, Dialect dialect, Job job, int index) throws SQLException {
        if (job.after() == null) return new Admitted(job, null);
        List<String> waiting = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT state, owner FROM jobs WHERE id = ?" + dialect.forUpdate())) {
            for (String dep : job.after()) {
                ps.setString(1, dep);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !Objects.equals(rs.getString(2), job.owner())) {
                        return new Admitted(null, new Insert.DependencyRefused(index, dep, "no such job"));
                    }
                    JobState s = JobState.fromWire(rs.getString(1));
                    if (s == JobState.FAILED || s == JobState.CANCELLED) {
                        return new Admitted(null, new Insert.DependencyRefused(index, dep, "already " + s.wireName()));
                    }
                    if (s != JobState.SUCCEEDED) waiting.add(dep);
                }
            }
        }
        return new Admitted(job.with(b -> b.waitingFor(waiting)), null);
    }

    /** Records whom the stored jobs wait for, in one batch. */
    static void link(Connection c, Collection<Job> jobs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_deps (job_id, dep_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            int n = 0;
            for (Job j : jobs) {
                if (j.waitingFor() == null) continue;
                for (String dep : j.waitingFor()) {
                    ps.setString(1, j.id());
                    ps.setString(2, dep);
                    ps.addBatch();
                    n++;
                }
            }
            if (n > 0) ps.executeBatch();
        }
    }

    /**
     * A job has just ended in this transaction: the jobs waiting for it go on (it succeeded) or are
     * cancelled (it did not), its batch's parent counts it, and a cancelled batch cancels its
     * children. What those writes end in turn is handled the same way, one after another.
     */
    static void ended(GroupWriter.Tx tx, Job job) throws SQLException {
        ArrayDeque<Job> pending = PENDING.get();
        if (pending != null) { // why: a cascade already runs: queue this one rather than recurse down a long chain
            pending.add(job);
            return;
        }
        pending = new ArrayDeque<>();
        pending.add(job);
        PENDING.set(pending);
        try {
            for (Job j; (j = pending.poll()) != null; ) {
                release(tx, j);
                if (j.parent() != null) childEnded(tx, j);
                if (j.isBatch() && j.state() == JobState.CANCELLED) cancelChildren(tx, j);
            }
        } finally {
            PENDING.remove();
        }
    }

    private static void release(GroupWriter.Tx tx, Job dep) throws SQLException {
        Connection c = tx.c();
        if (dep.after() != null) delete(c, "job_id", dep.id()); // why: it ended; nothing is to release it now
        List<String> waiting = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT job_id FROM job_deps WHERE dep_id = ?")) {
            ps.setString(1, dep.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) waiting.add(rs.getString(1));
            }
        }
        if (waiting.isEmpty()) return;
        delete(c, "dep_id", dep.id());
        List<RowUpdate> run = new ArrayList<>();
        for (Job j : read(c, waiting)) {
            Job next = resolve(j, dep);
            if (next != null) run.add(new RowUpdate(next, j.version()));
        }
        List<Optional<Job>> done = RowUpdate.applyAll(tx, run);
        for (int i = 0; i < run.size(); i++) {
            if (done.get(i).isEmpty()) retry(tx, run.get(i).next().id(), j -> resolve(j, dep));
        }
    }

    /** The next version of {@code j} once {@code dep} ended; null when it no longer waits for it. */
    private static Job resolve(Job j, Job dep) {
        if (j.state() != JobState.QUEUED || j.waitingFor() == null || !j.waitingFor().contains(dep.id())) return null;
        if (dep.state() == JobState.SUCCEEDED) return Transitions.dependencySucceeded(j, dep.id(), dep.updatedAt());
        return Transitions.dependencyEnded(j, dep.id(), dep.state(), dep.updatedAt());
    }

    private static void childEnded(GroupWriter.Tx tx, Job child) throws SQLException {
        Connection c = tx.c();
        boolean failed = child.state() != JobState.SUCCEEDED;
        try (PreparedStatement ps = c.prepareStatement("UPDATE batches SET done = done + 1, failed = failed + ?,"
                + " percent_sum = percent_sum + ? WHERE id = ?")) { // why: also locks the row, so parallel ends on other nodes queue up
            ps.setInt(1, failed ? 1 : 0);
            ps.setDouble(2, child.progress().percent());
            ps.setString(3, child.parent());
            if (ps.executeUpdate() == 0) return;
        }
        long total, done, failures;
        double sum;
        try (PreparedStatement ps = c.prepareStatement("SELECT total, done, failed, percent_sum FROM batches WHERE id = ?")) {
            ps.setString(1, child.parent());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return;
                total = rs.getLong(1);
                done = rs.getLong(2);
                failures = rs.getLong(3);
                sum = rs.getDouble(4);
            }
        }
        retry(tx, child.parent(), p -> p.isTerminal() || !p.isBatch() ? null
                : Transitions.batchChildEnded(p, done, total, failures, sum, child.updatedAt()));
    }

    static Optional<Job> batchPercent(GroupWriter.Tx tx, Dialect dialect, String parentId, double running, Instant now)
            throws SQLException {
        double sum;
        long total;
        try (PreparedStatement ps = tx.c().prepareStatement("SELECT percent_sum, total FROM batches WHERE id = ?" + dialect.forUpdate())) {
            ps.setString(1, parentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                sum = rs.getDouble(1);
                total = rs.getLong(2);
            }
        }
        List<Job> found = read(tx.c(), List.of(parentId));
        if (found.isEmpty() || !found.getFirst().isBatch() || found.getFirst().isTerminal() || total == 0) return Optional.empty();
        Job p = found.getFirst();
        double percent = Math.min(100, (sum + running) / total);
        if (Math.abs(percent - p.progress().percent()) < 0.1) return Optional.empty();
        return new RowUpdate(Transitions.batchPercent(p, percent, now), p.version()).apply(tx);
    }

    private static void cancelChildren(GroupWriter.Tx tx, Job parent) throws SQLException {
        List<RowUpdate> run = new ArrayList<>();
        try (PreparedStatement ps = tx.c().prepareStatement("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE parent = ?"
                + " AND state IN ('queued', 'running')")) {
            ps.setString(1, parent.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Job j = JobRows.read(rs);
                    Job next = Transitions.cancel(j, parent.updatedAt());
                    if (next != j) run.add(new RowUpdate(next, j.version()));
                }
            }
        }
        List<Optional<Job>> done = RowUpdate.applyAll(tx, run);
        for (int i = 0; i < run.size(); i++) {
            if (done.get(i).isEmpty()) {
                retry(tx, run.get(i).next().id(), j -> j.isTerminal() || j.cancelRequested() ? null : Transitions.cancel(j, parent.updatedAt()));
            }
        }
    }

    /** Reads a job again and writes what {@code next} makes of it, until the write lands or there is nothing to write. */
    private static void retry(GroupWriter.Tx tx, String id, java.util.function.UnaryOperator<Job> next) throws SQLException {
        for (int round = 0; round < ROUNDS; round++) {
            List<Job> cur = read(tx.c(), List.of(id));
            if (cur.isEmpty()) return;
            Job n = next.apply(cur.getFirst());
            if (n == null) return;
            if (new RowUpdate(n, cur.getFirst().version()).apply(tx).isPresent()) return;
        }
        throw new StoreException("job " + id + " kept changing while its dependency or batch moved it; the write that moved it is refused");
    }

    private static List<Job> read(Connection c, List<String> ids) throws SQLException {
        List<Job> out = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> part = ids.subList(from, Math.min(ids.size(), from + 500));
            try (PreparedStatement ps = c.prepareStatement("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE id IN ("
                    + "?, ".repeat(part.size() - 1) + "?)")) {
                for (int i = 0; i < part.size(); i++) ps.setString(i + 1, part.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(JobRows.read(rs));
                }
            }
        }
        return out;
    }

    /** A job is deleted (it ended before): its counts go if it was a batch; whom it waited for went with its end. */
    static void deleted(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM batches WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    private static void delete(Connection c, String column, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM job_deps WHERE " + column + " = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }
}
