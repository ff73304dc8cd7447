package dev.jobline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code schedules}: the server's recurring jobs with their next and last run. */
@Command(name = "schedules", description = "List the server's recurring jobs (--schedules) with their next and last run.")
final class SchedulesCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        JsonNode answer = client.api().schedules();
        if (client.json) {
            JobCommands.printJson(System.out, answer);
            return ExitCodes.SUCCEEDED;
        }
        int name = "NAME".length();
        int cron = "CRON".length();
        for (JsonNode s : answer) {
            name = Math.max(name, s.path("name").asText().length());
            cron = Math.max(cron, s.path("cron").asText().length() + 1 + s.path("timezone").asText().length());
        }
        String row = "%-" + name + "s  %-" + cron + "s  %-10s  %-24s  %s%n";
        System.out.printf(row, "NAME", "CRON", "TYPE", "NEXT RUN", "LAST JOB");
        Instant now = Instant.now();
        for (JsonNode s : answer) {
            System.out.printf(row, s.path("name").asText(), s.path("cron").asText() + " " + s.path("timezone").asText(),
                    s.path("type").asText(), next(s.path("nextRunAt").asText(null), now), s.path("lastJob").asText("-"));
        }
        return ExitCodes.SUCCEEDED;
    }

    /** {@code in 4s}, {@code in 3m 5s}, {@code in 2h 4m}, {@code in 3d 1h}; {@code never} for none. */
    static String next(String iso, Instant now) {
        if (iso == null) return "never";
        Instant at;
        try {
            at = Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return "unknown";
        }
        long s = Math.max(0, Duration.between(now, at).toSeconds());
        String span = s < 60 ? s + "s" : s < 3600 ? s / 60 + "m " + s % 60 + "s" : s < 86_400 ? s / 3600 + "h " + s / 60 % 60 + "m"
                : s / 86_400 + "d " + s / 3600 % 24 + "h";
        return "in " + span + " (" + iso + ")";
    }
}
