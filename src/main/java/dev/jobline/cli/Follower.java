package dev.jobline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows one job to its end with the contract's loop: {@code v = 0; repeat: job = GET
 * ?after=v&wait=30s; v = job.version; until terminal}. A lost connection or a draining server
 * is retried with backoff and jitter, resuming at the last version seen, so following survives a
 * server restart. Ctrl-C leaves the job running, or cancels it with {@code --cancel-on-interrupt}.
 */
final class Follower {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ApiClient api;
    private final FollowView view;
    private final PrintStream err;

    Follower(ApiClient api, FollowView view, PrintStream err) {
        this.api = api;
        this.view = view;
        this.err = err;
        api.noticesTo(notice -> {
            view.abandon(); // why: a notice goes below the bar, not onto its line
            err.println("jobline: " + notice);
            err.flush();
        });
    }

    /** Follows {@code id} until it is terminal; returns the exit code of its end state. */
    int follow(String id, boolean cancelOnInterrupt) {
        AtomicBoolean ended = new AtomicBoolean();
        Thread onInterrupt = new Thread(() -> interrupted(id, ended, cancelOnInterrupt), "jobline-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            Backoff backoff = new Backoff(api.retryFor());
            long version = 0;
            JsonNode job;
            do {
                job = api.poll(id, version, WAIT, backoff);
                if (job.path("version").asLong() != version) view.show(job);
                version = job.path("version").asLong();
            } while (!isTerminal(job));
            ended.set(true);
            view.end(job);
            return ExitCodes.ofState(job.path("state").asText());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.INTERRUPTED;
        } catch (CliException e) {
            view.abandon(); // why: the message goes below the bar, not onto its line
            throw e;
        } finally {
            ended.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running: it decides
            }
        }
    }

    private void interrupted(String id, AtomicBoolean ended, boolean cancel) {
        if (ended.get()) return;
        view.abandon();
        if (!cancel) {
            err.println("jobline: stopped following; job " + id + " keeps running (follow it again with: watch " + id + ")");
            return;
        }
        try {
            JsonNode job = new ApiClient(api.base(), api.token(), Duration.ofSeconds(5)).cancel(id);
            err.println("jobline: asked to cancel job " + id + "; it is " + job.path("state").asText());
        } catch (CliException e) {
            err.println("jobline: could not cancel job " + id + ": " + e.getMessage());
        }
    }

    static boolean isTerminal(JsonNode job) {
        return switch (job.path("state").asText()) {
            case "succeeded", "failed", "cancelled" -> true;
            default -> false;
        };
    }
}
