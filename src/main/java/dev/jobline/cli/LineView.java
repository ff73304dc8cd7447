package dev.jobline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;

/** Pipe mode: one plain line per change, {@code <id> <state> <percent> <message> on <node>}, and a last line with the outcome. */
final class LineView implements FollowView {
    private final PrintStream out;
    private String last = "";

    LineView(PrintStream out) {
        this.out = out;
    }

    @Override
    public void show(JsonNode job) {
        String line = job.path("id").asText() + " " + FollowView.summary(job);
        if (line.equals(last)) return; // why: a timed-out poll answers the same job again; no change, no line
        last = line;
        out.println(line);
        out.flush();
    }

    @Override
    public void line(JsonNode line) {
        out.println(line.path("text").asText());
        out.flush();
    }

    @Override
    public void end(JsonNode job) {
        String outcome = FollowView.outcome(job);
        if (!outcome.isEmpty()) out.println(job.path("id").asText() + " " + job.path("state").asText() + " " + outcome);
        out.flush();
    }
}
