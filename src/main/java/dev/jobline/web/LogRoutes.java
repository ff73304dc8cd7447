package dev.jobline.web;

import dev.jobline.engine.JobEngine;
import dev.jobline.job.JobException;
import dev.jobline.json.Json;
import dev.jobline.store.LogPage;
import dev.jobline.watch.LogWatch;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /api/jobs/{id}/log}: a job's log. Without {@code after}, its oldest kept lines at
 * once; with {@code after=N}, the lines after N, waiting like a job long-poll for the first new
 * one while the job runs.
 */
final class LogRoutes {
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    private static final int DEFAULT_LIMIT = 1000;
    private static final int MAX_LIMIT = 10_000;

    private final JobEngine engine;
    private final LogWatch logs;
    private final Duration maxWait;
    private StreamRoutes streams;

    LogRoutes(JobEngine engine, LogWatch logs, Duration maxWait) {
        this.engine = engine;
        this.logs = logs;
        this.maxWait = maxWait;
    }

    /** Where a request with Accept: text/event-stream goes instead. */
    LogRoutes streams(StreamRoutes s) {
        this.streams = s;
        return this;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/jobs/{id}/log", this::log);
    }

    private void log(Context ctx) {
        String id = ctx.pathParam("id");
        if (streams != null && EventStream.wanted(ctx)) {
            streams.log(ctx, id, limit(ctx.queryParam("limit")));
            return;
        }
        String rawAfter = ctx.queryParam("after");
        long after = rawAfter == null ? 0 : after(rawAfter);
        int limit = limit(ctx.queryParam("limit"));
        Duration wait = WaitParam.resolve(ctx.queryParam("wait"), ctx.header("Prefer"), DEFAULT_WAIT, maxWait);
        engine.get(id).filter(j -> Auth.maySee(ctx, j)).orElseThrow(() -> new JobException.NotFound(id));
        CompletableFuture<LogPage> answer = logs.await(id, after, limit, rawAfter == null ? Duration.ZERO : wait, Auth.owner(ctx));
        if (answer.isDone()) {
            JobRoutes.sendJson(ctx, Json.bytes(answer.join()));
        } else {
            HeldRequest.hold(ctx, answer, page -> JobRoutes.sendJson(ctx, Json.bytes(page)));
        }
    }

    static long after(String raw) {
        try {
            long n = Long.parseLong(raw);
            if (n >= 0) return n;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw Problem.badRequest("after must be a line number, a whole number of 0 or more, not '"
                + (raw.length() > 20 ? raw.substring(0, 20) + "..." : raw) + "'").toException();
    }

    private static int limit(String raw) {
        if (raw == null) return DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(raw);
            if (n >= 1 && n <= MAX_LIMIT) return n;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw Problem.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT).toException();
    }
}
