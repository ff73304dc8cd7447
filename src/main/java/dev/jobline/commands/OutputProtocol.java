package dev.jobline.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.json.Json;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a line of a command's standard output means: {@code progress 42}, {@code progress 42.5
 * message} (a percent), {@code progress 3/10 message} (done of total), {@code result JSON} (the
 * job's result), {@code checkpoint JSON} (stored for the job's next attempt), or anything else: a line of the job's log. A line that looks like a report but
 * does not hold (a percent of 1e999, a total of 0, a result that is not JSON) is logged as it is.
 */
final class OutputProtocol {
    private static final Pattern PROGRESS = Pattern.compile(
            "progress[ \\t]+(?:([0-9]{1,15})/([0-9]{1,15})|([0-9]{1,15}(?:\\.[0-9]{1,15})?))(?:[ \\t]+(.*))?");
    private static final String RESULT = "result ";
    private static final String CHECKPOINT = "checkpoint ";

    private OutputProtocol() {}

    /** One line of standard output, read. */
    sealed interface Line {}

    /** A percent from 0 to 100 (clamped), or done of total when {@code total} is not null. */
    record Progress(double percent, Long done, Long total, String message) implements Line {}

    record Result(JsonNode value) implements Line {}

    record Checkpoint(JsonNode value) implements Line {}

    /** A plain line of output; {@code problem} says why a line that looked like a report was not one (or is null). */
    record Text(String text, String problem) implements Line {}

    static Line parse(String line) {
        if (line.startsWith("progress")) {
            Matcher m = PROGRESS.matcher(line.strip());
            if (!m.matches()) return new Text(line, null);
            String message = m.group(4) == null || m.group(4).isBlank() ? null : m.group(4).strip();
            if (m.group(3) != null) return new Progress(Double.parseDouble(m.group(3)), null, null, message);
            long done = Long.parseLong(m.group(1));
            long total = Long.parseLong(m.group(2));
            if (total <= 0) return new Text(line, "a progress line needs a total above 0");
            return new Progress(100.0 * Math.min(done, total) / total, done, total, message);
        }
        if (line.startsWith(RESULT)) {
            try {
                return new Result(Json.MAPPER.readTree(line.substring(RESULT.length())));
            } catch (JsonProcessingException e) {
                return new Text(line, "a result line must hold JSON after 'result ': " + e.getOriginalMessage());
            }
        }
        if (line.startsWith(CHECKPOINT)) {
            try {
                return new Checkpoint(Json.MAPPER.readTree(line.substring(CHECKPOINT.length())));
            } catch (JsonProcessingException e) {
                return new Text(line, "a checkpoint line must hold JSON after 'checkpoint ': " + e.getOriginalMessage());
            }
        }
        return new Text(line, null);
    }
}
