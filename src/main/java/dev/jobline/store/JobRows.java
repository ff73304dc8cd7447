package dev.jobline.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobline.job.Callback;
import dev.jobline.job.Job;
import dev.jobline.job.JobError;
import dev.jobline.job.JobState;
import dev.jobline.job.Progress;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** Maps jobs to rows of the {@code jobs} table and back. JSON columns hold progress, params, result and error. */
final class JobRows {
    static final String COLUMNS = "id, type, state, version, seq, progress, params, result, error, attempt, "
            + "created_at, started_at, finished_at, updated_at, owner, cancel_requested, node, callback, "
            + "after_ids, waiting_for, parent, " + FlowColumns.COLUMNS;
    /** Placeholders for {@link #COLUMNS}. */
    static final String MARKS = "?, ".repeat(20 + FlowColumns.COUNT) + "?";
    /** How many columns {@link #bind} binds. */
    static final int COUNT = 21 + FlowColumns.COUNT;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JobRows() {}

    /** Binds every column but created_seq, in the order of {@link #COLUMNS}, starting at parameter 1 ({@link #COUNT} in all). */
    static void bind(PreparedStatement ps, Job j, long seq) throws SQLException {
        ps.setString(1, j.id());
        ps.setString(2, j.type());
        ps.setString(3, j.state().wireName());
        ps.setLong(4, j.version());
        ps.setLong(5, seq);
        ps.setString(6, json(j.progress()));
        ps.setString(7, json(j.params()));
        ps.setString(8, j.result() == null ? null : json(j.result()));
        ps.setString(9, j.error() == null ? null : json(j.error()));
        ps.setInt(10, j.attempt());
        ps.setLong(11, j.createdAt().toEpochMilli());
        setInstant(ps, 12, j.startedAt());
        setInstant(ps, 13, j.finishedAt());
        ps.setLong(14, j.updatedAt().toEpochMilli());
        ps.setString(15, j.owner());
        ps.setInt(16, j.cancelRequested() ? 1 : 0);
        ps.setString(17, j.node());
        ps.setString(18, j.callback() == null ? null : j.callback().url());
        ps.setString(19, j.after() == null ? null : json(j.after()));
        ps.setString(20, j.waitingFor() == null ? null : json(j.waitingFor()));
        ps.setString(21, j.parent());
        FlowColumns.bind(ps, 22, j);
    }

    static Job read(ResultSet rs) throws SQLException {
        try {
            String result = rs.getString("result");
            String error = rs.getString("error");
            Job.Builder b = new Job.Builder()
                    .id(rs.getString("id"))
                    .type(rs.getString("type"))
                    .state(JobState.fromWire(rs.getString("state")))
                    .version(rs.getLong("version"))
                    .progress(MAPPER.readValue(rs.getString("progress"), Progress.class))
                    .params(MAPPER.readTree(rs.getString("params")))
                    .result(result == null ? null : MAPPER.readTree(result))
                    .error(error == null ? null : MAPPER.readValue(error, JobError.class))
                    .attempt(rs.getInt("attempt"))
                    .createdAt(Instant.ofEpochMilli(rs.getLong("created_at")))
                    .startedAt(instant(rs, "started_at"))
                    .finishedAt(instant(rs, "finished_at"))
                    .updatedAt(Instant.ofEpochMilli(rs.getLong("updated_at")))
                    .owner(rs.getString("owner"))
                    .cancelRequested(rs.getInt("cancel_requested") == 1)
                    .node(rs.getString("node"))
                    .seq(rs.getLong("seq"))
                    .callback(callback(rs.getString("callback")))
                    .after(ids(rs.getString("after_ids")))
                    .waitingFor(ids(rs.getString("waiting_for")))
                    .parent(rs.getString("parent"));
            FlowColumns.read(rs, b);
            return b.build();
        } catch (JsonProcessingException e) {
            throw new SQLException("a stored job is not readable: " + e.getOriginalMessage(), e);
        }
    }

    private static java.util.List<String> ids(String json) throws JsonProcessingException {
        return json == null ? null : java.util.List.of(MAPPER.readValue(json, String[].class));
    }

    private static Callback callback(String url) {
        return url == null ? null : new Callback(url);
    }

    private static String json(Object value) throws SQLException {
        try {
            return value instanceof JsonNode n ? n.toString() : MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) ps.setNull(i, Types.INTEGER);
        else ps.setLong(i, t.toEpochMilli());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
