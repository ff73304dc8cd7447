package dev.jobline.store;

import dev.jobline.job.Job;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The schedules of a {@link JdbcJobStore} (table {@code schedules}): the same SQL on every
 * database. A tick's run locks the schedule's row, so of the nodes that try one tick the first
 * takes it, and its job's insert commits in the same transaction; the others then find the tick
 * handled.
 */
final class JdbcSchedules {
    private final JdbcJobStore store;
    private final Dialect dialect;

    JdbcSchedules(JdbcJobStore store, Dialect dialect) {
        this.store = store;
        this.dialect = dialect;
    }

    ScheduleState register(String name, Instant tick) {
        return store.write(tx -> {
            try (PreparedStatement ps = tx.c().prepareStatement(
                    "INSERT INTO schedules (name, last_tick) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
                ps.setString(1, name);
                ps.setLong(2, tick.toEpochMilli());
                ps.executeUpdate();
            }
            return find(tx.c(), name, "");
        });
    }

    ScheduleRun start(String name, Instant tick, Job job, boolean skipWhileActive) {
        return store.write(tx -> {
            Connection c = tx.c();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO schedules (name, last_tick) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
                ps.setString(1, name);
                ps.setLong(2, tick.toEpochMilli() - 1); // why: a schedule first seen here has handled nothing before this tick
                ps.executeUpdate();
            }
            ScheduleState s = find(c, name, dialect.forUpdate());
            if (!s.lastTick().isBefore(tick)) return new ScheduleRun.Taken();
            if (skipWhileActive && s.lastJob() != null && active(c, s.lastJob())) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE schedules SET last_tick = ? WHERE name = ?")) {
                    ps.setLong(1, tick.toEpochMilli());
                    ps.setString(2, name);
                    ps.executeUpdate();
                }
                return new ScheduleRun.Skipped(s.lastJob());
            }
            Job stored = JdbcJobStore.insertRow(tx, job);
            try (PreparedStatement ps = c.prepareStatement("UPDATE schedules SET last_tick = ?, last_run_at = ?, last_job = ? WHERE name = ?")) {
                ps.setLong(1, tick.toEpochMilli());
                ps.setLong(2, stored.createdAt().toEpochMilli());
                ps.setString(3, stored.id());
                ps.setString(4, name);
                ps.executeUpdate();
            }
            return new ScheduleRun.Started(stored);
        });
    }

    List<ScheduleState> all() {
        return store.read(c -> {
            List<ScheduleState> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, last_tick, last_run_at, last_job FROM schedules ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(read(rs));
            }
            return out;
        });
    }

    private static boolean active(Connection c, String jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM jobs WHERE id = ? AND state IN ('queued', 'running')")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static ScheduleState find(Connection c, String name, String lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name, last_tick, last_run_at, last_job FROM schedules WHERE name = ?" + lock)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return read(rs);
            }
        }
    }

    private static ScheduleState read(ResultSet rs) throws SQLException {
        long runAt = rs.getLong(3);
        Instant lastRunAt = rs.wasNull() ? null : Instant.ofEpochMilli(runAt);
        return new ScheduleState(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), lastRunAt, rs.getString(4));
    }
}
