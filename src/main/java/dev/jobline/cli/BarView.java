package dev.jobline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Terminal mode: one line redrawn in place,
 * {@code [#########-----------]  42%  running on host-3fa2c1  step 42 of 100  0:04 elapsed, ~0:06 left}
 * (the node while the job runs). Elapsed
 * counts from the job's start (or from when following began, while it is queued); the estimate
 * assumes the rate so far holds.
 */
final class BarView implements FollowView {
    private static final int BAR = 20;
    private final PrintStream out;
    private final int width;
    private final Instant followedSince = Instant.now();
    private boolean drawn; // a bar is on the current line
    private String bar; // the last bar drawn, or null

    BarView(PrintStream out, int width) {
        this.out = out;
        this.width = Math.max(40, width);
    }

    @Override
    public void show(JsonNode job) {
        JsonNode p = job.path("progress");
        double percent = p.path("percent").asDouble();
        int filled = (int) Math.round(percent / 100 * BAR);
        StringBuilder line = new StringBuilder("[").append("#".repeat(filled)).append("-".repeat(BAR - filled)).append("] ")
                .append(String.format("%3.0f%%", percent)).append("  ").append(job.path("state").asText());
        if (job.hasNonNull("node")) line.append(" on ").append(job.get("node").asText());
        if (p.hasNonNull("message")) line.append("  ").append(p.get("message").asText());
        Duration elapsed = Duration.between(since(job), Instant.now());
        if (elapsed.isNegative()) elapsed = Duration.ZERO;
        line.append("  ").append(clock(elapsed)).append(" elapsed");
        Duration left = estimate(percent, elapsed);
        if (left != null && !job.path("state").asText().matches("succeeded|failed|cancelled")) {
            line.append(", ~").append(clock(left)).append(" left");
        }
        String text = line.length() > width - 1 ? line.substring(0, width - 1) : line.toString();
        out.print("\r" + text + "\u001b[K"); // why: \r and erase-to-end redraw the same line on any ANSI terminal
        out.flush();
        drawn = true;
        bar = text;
    }

    /** Writes the line where the bar is and draws the bar again below it, so log lines scroll up above the bar. */
    @Override
    public void line(JsonNode line) {
        if (drawn) out.print("\r\u001b[K");
        out.println(line.path("text").asText());
        if (drawn) out.print(bar + "\u001b[K");
        out.flush();
    }

    private Instant since(JsonNode job) {
        try {
            return job.hasNonNull("startedAt") ? Instant.parse(job.get("startedAt").asText()) : followedSince;
        } catch (DateTimeParseException e) {
            return followedSince;
        }
    }

    private static Duration estimate(double percent, Duration elapsed) {
        if (percent <= 0 || percent >= 100) return null;
        return Duration.ofMillis((long) (elapsed.toMillis() * (100 - percent) / percent));
    }

    static String clock(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }

    @Override
    public void end(JsonNode job) {
        abandon();
        String outcome = FollowView.outcome(job);
        out.println(job.path("state").asText() + (outcome.isEmpty() ? "" : ": " + outcome));
        out.flush();
    }

    @Override
    public void abandon() {
        if (drawn) out.println();
        out.flush();
        drawn = false;
    }
}
