package dev.jobline.web;

import dev.jobline.json.JsonLine;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import org.slf4j.Logger;

/**
 * One JSON line per request once its answer is written (a held long-poll when it is answered):
 * the owner, the method, the route as declared ({@code /api/jobs/{id}}; the path, cut, only when
 * no route was reached: a static file, a 404, a request refused before routing), the status, the
 * time taken and the job's id when the request names one or created one. Neither headers nor the
 * query are ever read for it, so no token or secret can reach the log.
 */
final class AccessLog {
    private static final int MAX_ID = 64;
    private static final int MAX_PATH = 200;

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
                .add("path", route == null ? cut(ctx.path(), MAX_PATH) : null)
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
        return cut(id, MAX_ID);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
