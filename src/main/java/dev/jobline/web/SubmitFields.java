package dev.jobline.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.job.RetryPolicy;
import dev.jobline.job.RunOptions;
import dev.jobline.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * The fields of a submit that say when and how its job runs: {@code runAt} or {@code delay},
 * {@code priority}, {@code queue}, {@code timeout} and {@code retry}. Each bad value is a 422
 * naming the field (whether a queue is declared is the engine's to say).
 */
final class SubmitFields {
    static final Set<String> NAMES = Set.of("runAt", "delay", "priority", "queue", "timeout", "retry");

    private SubmitFields() {}

    static RunOptions parse(JsonNode body, Instant now) {
        return parse(body, now, "");
    }

    /** As {@link #parse(JsonNode, Instant)}, naming each field after {@code at} (like {@code jobs[3].}) in its problems. */
    static RunOptions parse(JsonNode body, Instant now, String at) {
        try {
            return parseFields(body, now);
        } catch (Problem.Exception e) {
            if (at.isEmpty()) throw e;
            throw Problem.of(422, "invalid-field", "Invalid field", at + e.problem().detail()).toException();
        }
    }

    private static RunOptions parseFields(JsonNode body, Instant now) {
        JsonNode runAt = present(body, "runAt");
        JsonNode delay = present(body, "delay");
        if (runAt != null && delay != null) throw invalid("runAt", "give runAt or delay, not both");
        Instant at = null;
        if (runAt != null) {
            if (!runAt.isTextual()) throw invalid("runAt", "must be an RFC 3339 time like \"2026-12-06T10:00:00Z\", not " + runAt);
            try {
                at = OffsetDateTime.parse(runAt.asText()).toInstant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            } catch (DateTimeParseException e) {
                throw invalid("runAt", "must be an RFC 3339 time like \"2026-12-06T10:00:00Z\", not '" + runAt.asText() + "'");
            }
        }
        if (delay != null) at = now.plus(duration(delay, "delay"));
        Integer priority = null;
        JsonNode p = present(body, "priority");
        if (p != null) {
            if (!p.isIntegralNumber() || !p.canConvertToInt() || p.intValue() < RunOptions.MIN_PRIORITY || p.intValue() > RunOptions.MAX_PRIORITY) {
                throw invalid("priority", "must be an integer from " + RunOptions.MIN_PRIORITY + " to " + RunOptions.MAX_PRIORITY + ", not " + p);
            }
            priority = p.intValue() == 0 ? null : p.intValue();
        }
        String queue = null;
        JsonNode q = present(body, "queue");
        if (q != null) {
            if (!q.isTextual() || !q.asText().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                throw invalid("queue", "must be the name of a declared queue (1 to 64 letters, digits, '.', '_' or '-'), not " + q);
            }
            queue = q.asText().equals(RunOptions.DEFAULT_QUEUE) ? null : q.asText();
        }
        Duration timeout = null;
        JsonNode t = present(body, "timeout");
        if (t != null) {
            timeout = duration(t, "timeout");
            if (timeout.isZero()) throw invalid("timeout", "must be longer than 0");
        }
        RetryPolicy retry = null;
        JsonNode r = present(body, "retry");
        if (r != null) {
            try {
                retry = RetryPolicy.parse(r);
            } catch (IllegalArgumentException e) {
                throw invalid("retry", e.getMessage());
            }
        }
        return new RunOptions(at, priority, queue, timeout, retry);
    }

    private static JsonNode present(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : n;
    }

    private static Duration duration(JsonNode n, String field) {
        if (!n.isTextual()) throw invalid(field, "must be a duration string like \"90s\" or \"10m\", not " + n);
        try {
            return Durations.parse(n.asText());
        } catch (IllegalArgumentException e) {
            throw invalid(field, e.getMessage());
        }
    }

    private static Problem.Exception invalid(String field, String why) {
        return Problem.of(422, "invalid-field", "Invalid field", field + ": " + why).toException();
    }
}
