package dev.jobline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.json.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** How a followed job is shown: a live bar on a terminal, one line per change in a pipe, or job JSON per line. */
interface FollowView {
    /** A new version of the job (the first one too). */
    void show(JsonNode job);

    /** A line of the job's log ({@code {"n", "at", "stream", "text"}}), shown above the bar or as a line of its own. */
    default void line(JsonNode line) {}

    /** The job is terminal; {@code job} was already passed to {@link #show}. */
    default void end(JsonNode job) {}

    /** A message is about to go to standard error, or following stops without an end: leave the terminal tidy. */
    default void abandon() {}

    static FollowView choose(boolean json, PrintStream out) {
        if (json) {
            return new FollowView() {
                @Override
                public void show(JsonNode job) {
                    JobCommands.printJson(out, job);
                }

                @Override
                public void line(JsonNode line) {
                    JobCommands.printJson(out, line);
                }
            };
        }
        return Terminal.isTerminal() ? new BarView(out, Terminal.width()) : new LineView(out);
    }

    /** {@code running  42%  step 42 of 100  on host-3fa2c1}: the state, percent and message of a job, and its node while it runs. */
    static String summary(JsonNode job) {
        StringBuilder sb = new StringBuilder(job.path("state").asText());
        JsonNode p = job.path("progress");
        sb.append(String.format(" %3.0f%%", p.path("percent").asDouble()));
        if (p.hasNonNull("message")) sb.append("  ").append(p.get("message").asText());
        // why: last, so that the id, state and percent stay where a script that splits the line finds them
        if (job.hasNonNull("node")) sb.append("  on ").append(job.get("node").asText());
        return sb.toString();
    }

    /** What a terminal job ended with: its result, its error, or nothing. */
    static String outcome(JsonNode job) {
        if (job.hasNonNull("result")) return "result " + new String(Json.bytes(job.get("result")), StandardCharsets.UTF_8);
        if (job.hasNonNull("error")) return "error: " + job.get("error").path("message").asText();
        return "";
    }
}
