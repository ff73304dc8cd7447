package dev.jobline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Reads a job's log with the contract's loop: {@code n = 0; repeat: page = GET /log?after=n&wait=30s;
 * n = page.next}. An answer without lines may be a wait that passed or the job's end: the job is
 * read then, and once it is terminal one more read (its lines are all stored before its end is)
 * takes any that came meanwhile. Lost connections are retried like following a job.
 */
final class LogFollower {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ApiClient api;
    private final PrintStream err;

    LogFollower(ApiClient api, PrintStream err) {
        this.api = api;
        this.err = err;
    }

    /** Hands every kept line to {@code sink}, oldest first, without waiting for more. */
    void printKept(String id, Consumer<JsonNode> sink) throws InterruptedException {
        long after = 0;
        Backoff backoff = new Backoff(api.retryFor());
        while (true) {
            JsonNode page = api.log(id, after, Duration.ZERO, backoff);
            if (!emit(page, after, sink)) return;
            after = page.path("next").asLong();
        }
    }

    /** Hands every line to {@code sink} until the job is terminal and all of its lines are given; returns the exit code of its end. */
    int follow(String id, Consumer<JsonNode> sink) throws InterruptedException {
        long after = 0;
        Backoff backoff = new Backoff(api.retryFor());
        boolean ended = false;
        while (true) {
            JsonNode page = api.log(id, after, ended ? Duration.ZERO : WAIT, backoff);
            boolean any = emit(page, after, sink);
            after = page.path("next").asLong(after);
            if (any) continue;
            if (ended) return ExitCodes.ofState(api.job(id).path("state").asText());
            ended = Follower.isTerminal(api.job(id));
        }
    }

    /** Gives the page's lines to {@code sink}, saying first when lines before them are no longer kept; false when it had none. */
    private boolean emit(JsonNode page, long after, Consumer<JsonNode> sink) {
        JsonNode lines = page.path("lines");
        if (lines.isEmpty()) return false;
        long first = lines.get(0).path("n").asLong();
        if (first > after + 1) {
            err.println("jobline: " + (first - after - 1) + " earlier lines of the log are no longer kept");
            err.flush();
        }
        for (JsonNode line : lines) sink.accept(line);
        return true;
    }
}
