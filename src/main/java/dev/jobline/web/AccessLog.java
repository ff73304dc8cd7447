package dev.jobline.web;

import dev.jobline.json.JsonLine;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import org.slf4j.Logger;

/**
 * One JSON line per request once its answer is written (a held long-poll when it is answered):
 * the owner, the method, the route as declared ({@code /api/jobs/{id}}, never the path the client
 * sent, nor its query), the status, the time taken and the job's id when the request names one
 * or created one. Headers are never read for it, so no token or secret can reach the log.
 */
final class AccessLog {
    private static final int MAX_ID = 64;

    private AccessLog() {}

    static void install(JavalinConfig config, Logger log) {
        config.requestLogger.http((ctx, ms) -> {
            if (log.isInfoEnabled()) log.info(line(ctx, ms));
        });
    }

    static String line(Context ctx, Float ms) {
        Endpoint e = ctx.endpoints().lastHttpEndpoint();
        String route = e == null ? null : e.path;
        return JsonLine.of("request")
                .add("owner", Auth.owner(ctx))
                .add("method", ctx.method().name())
                .add("route", route == null ? "-" : route)
                .add("status", ctx.statusCode())
                .millis("ms", ms == null ? 0 : (long) (ms * 1_000_000L))
                .add("job", jobId(ctx, route))
                .toString();
    }

    /** The job a request is about: the {@code {id}} of a job route, or the one a submit created (its Location). */
    private static String jobId(Context ctx, String route) {
        String id = null;
        if (route != null && route.startsWith("/api/jobs/{id}")) {
            id = ctx.pathParam("id");
        } else {
            String location = ctx.res().getHeader("Location");
            if (location != null && location.startsWith("/api/jobs/")) id = location.substring("/api/jobs/".length());
        }
        return id == null || id.length() <= MAX_ID ? id : id.substring(0, MAX_ID) + "...";
    }
}
