package dev.jobline.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.job.AttemptError;
import dev.jobline.job.Job;
import dev.jobline.job.JobError;
import dev.jobline.job.RetryPolicy;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns of how a job runs (schema 8): run_at, priority, queue, timeout_ms, retry, errors and
 * checkpoint, bound after {@link JobRows}' others. Priority 0 is stored for a job without one.
 */
final class FlowColumns {
    static final String COLUMNS = "run_at, priority, queue, timeout_ms, retry, errors, checkpoint";
    static final int COUNT = 7;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FlowColumns() {}

    /** Binds the columns from parameter {@code first} on. */
    static void bind(PreparedStatement ps, int first, Job j) throws SQLException {
        setLong(ps, first, j.runAt() == null ? null : j.runAt().toEpochMilli());
        ps.setInt(first + 1, j.priority() == null ? 0 : j.priority());
        ps.setString(first + 2, j.queue());
        setLong(ps, first + 3, j.timeout() == null ? null : j.timeout().toMillis());
        ps.setString(first + 4, j.retry() == null ? null : j.retry().toJson().toString());
        ps.setString(first + 5, j.errors() == null ? null : errors(j.errors()).toString());
        ps.setString(first + 6, j.checkpoint() == null ? null : j.checkpoint().toString());
    }

    static void read(ResultSet rs, Job.Builder b) throws SQLException, JsonProcessingException {
        long runAt = rs.getLong("run_at");
        b.runAt(rs.wasNull() ? null : Instant.ofEpochMilli(runAt));
        int priority = rs.getInt("priority");
        b.priority(priority == 0 ? null : priority);
        b.queue(rs.getString("queue"));
        long timeout = rs.getLong("timeout_ms");
        b.timeout(rs.wasNull() ? null : Duration.ofMillis(timeout));
        String retry = rs.getString("retry");
        b.retry(retry == null ? null : RetryPolicy.parse(MAPPER.readTree(retry)));
        String errors = rs.getString("errors");
        b.errors(errors == null ? null : errors(MAPPER.readTree(errors)));
        String checkpoint = rs.getString("checkpoint");
        b.checkpoint(checkpoint == null ? null : MAPPER.readTree(checkpoint));
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, v);
    }

    private static ArrayNode errors(List<AttemptError> errors) {
        ArrayNode a = MAPPER.createArrayNode();
        for (AttemptError e : errors) {
            ObjectNode o = a.addObject();
            o.put("attempt", e.attempt());
            o.putObject("error").put("message", e.error().message()).put("type", e.error().type());
            o.put("finishedAt", e.finishedAt().toEpochMilli());
        }
        return a;
    }

    private static List<AttemptError> errors(JsonNode a) {
        List<AttemptError> out = new ArrayList<>();
        for (JsonNode o : a) {
            JsonNode e = o.path("error");
            out.add(new AttemptError(o.path("attempt").asInt(), new JobError(e.path("message").asText(null), e.path("type").asText(null)),
                    Instant.ofEpochMilli(o.path("finishedAt").asLong())));
        }
        return out;
    }
}
