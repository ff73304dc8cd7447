package dev.jobline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.json.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The one-request commands: list, get, cancel, delete, types, nodes. */
final class JobCommands {
    private JobCommands() {}

    /** Prints JSON on one line, so that {@code jq} and line-by-line readers can take it. */
    static void printJson(PrintStream out, JsonNode node) {
        out.println(new String(Json.bytes(node), StandardCharsets.UTF_8));
        out.flush();
    }

    /** A command on one job: the server options and the job's id. */
    abstract static class OnJob implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "ID", description = "the job's id")
        String id;
    }

    @Command(name = "list", description = "List jobs, newest first; a running job shows its node.")
    static final class ListJobs implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--state", paramLabel = "STATE", split = ",",
                description = "only jobs in these states: queued, running, succeeded, failed, cancelled (repeatable or comma-separated)")
        List<String> states;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "at most this many (1 to 1000; default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() {
            JsonNode listing = client.api().list(states == null ? null : String.join(",", states), limit);
            if (client.json) {
                printJson(System.out, listing);
                return ExitCodes.SUCCEEDED;
            }
            for (JsonNode job : listing.path("jobs")) {
                String line = String.format("%s  %-10s %-9s %4.0f%%  %s  %s", job.path("id").asText(), job.path("type").asText(),
                        job.path("state").asText(), job.path("progress").path("percent").asDouble(), job.path("updatedAt").asText(),
                        job.path("node").asText(""));
                System.out.println(line.stripTrailing());
            }
            return ExitCodes.SUCCEEDED;
        }
    }

    @Command(name = "get", description = "Print a job as JSON.")
    static final class Get extends OnJob {
        @Override
        public Integer call() {
            printJson(System.out, client.api().job(id));
            return ExitCodes.SUCCEEDED;
        }
    }

    @Command(name = "cancel", description = "Cancel a queued or running job; prints its id and state.")
    static final class Cancel extends OnJob {
        @Override
        public Integer call() {
            JsonNode job = client.api().cancel(id);
            if (client.json) {
                printJson(System.out, job);
            } else {
                System.out.println(job.path("id").asText() + " " + job.path("state").asText());
            }
            return ExitCodes.SUCCEEDED;
        }
    }

    @Command(name = "delete", description = "Delete a finished job.")
    static final class Delete extends OnJob {
        @Override
        public Integer call() {
            client.api().delete(id);
            return ExitCodes.SUCCEEDED;
        }
    }

    @Command(name = "types", description = "List the job types and their params.")
    static final class Types implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            JsonNode types = client.api().types();
            if (client.json) {
                printJson(System.out, types);
                return ExitCodes.SUCCEEDED;
            }
            for (JsonNode t : types) {
                System.out.println(t.path("name").asText() + "  " + t.path("description").asText());
                t.path("params").path("properties").properties().forEach(p -> System.out.println(
                        "    " + p.getKey() + " (" + p.getValue().path("type").asText() + ")  " + p.getValue().path("description").asText("")));
            }
            return ExitCodes.SUCCEEDED;
        }
    }

    @Command(name = "nodes", description = "List the nodes sharing the store (needs an admin token when tokens are on).")
    static final class Nodes implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            JsonNode answer = client.api().nodes();
            if (client.json) {
                printJson(System.out, answer);
                return ExitCodes.SUCCEEDED;
            }
            int width = "NODE".length();
            for (JsonNode n : answer.path("nodes")) width = Math.max(width, n.path("id").asText().length());
            String row = "%-" + width + "s  %7s  %-8s  %s%n";
            System.out.printf(row, "NODE", "RUNNING", "DRAINING", "LAST HEARTBEAT");
            Instant now = Instant.now();
            for (JsonNode n : answer.path("nodes")) {
                System.out.printf(row, n.path("id").asText(), n.path("running").asInt(), n.path("draining").asBoolean() ? "yes" : "no",
                        age(n.path("heartbeatAt").asText(), now));
            }
            return ExitCodes.SUCCEEDED;
        }

        /** {@code 4s ago}, {@code 3m 5s ago}, {@code 2h 4m ago}; a clock ahead of this one counts as now. */
        static String age(String iso, Instant now) {
            Instant at;
            try {
                at = Instant.parse(iso);
            } catch (DateTimeParseException e) {
                return "unknown";
            }
            long s = Math.max(0, Duration.between(at, now).toSeconds());
            String span = s < 60 ? s + "s" : s < 3600 ? s / 60 + "m " + s % 60 + "s" : s / 3600 + "h " + s / 60 % 60 + "m";
            return span + " ago";
        }
    }
}
