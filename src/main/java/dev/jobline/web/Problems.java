package dev.jobline.web;

import dev.jobline.json.Json;
import com.fasterxml.jackson.core.JacksonException;
import dev.jobline.job.InvalidParamsException;
import dev.jobline.job.JobException;
import dev.jobline.store.StoreException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.ExceptionHandler;
import io.javalin.http.Header;
import io.javalin.http.HttpResponseException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.ee10.servlet.ServletApiRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps every exception to its status and problem, in one place. Nothing leaves as HTML or a stack
 * trace. An error for a request that Jetty has already ended and recycled (a long-poll answered
 * after its client or the server went away) has no one to go to: it is dropped quietly, never
 * logged as a failure.
 */
final class Problems {
    private static final Logger log = LoggerFactory.getLogger(Problems.class);
    static final String TOO_LARGE = "the request body is larger than this server accepts";
    static final String NOSNIFF = "nosniff";
    private static final LongAdder dropped = new LongAdder();

    private Problems() {}

    static void register(RoutesConfig routes) {
        on(routes, Problem.Exception.class, (e, ctx) -> send(ctx, e.problem()));
        on(routes, JobException.class, (e, ctx) -> send(ctx, of(e)));
        on(routes, dev.jobline.job.InvalidRunOptionsException.class, (e, ctx) ->
                send(ctx, Problem.of(422, "invalid-field", "Invalid field", e.getMessage())));
        on(routes, InvalidParamsException.class, (e, ctx) ->
                send(ctx, Problem.of(422, "invalid-params", "Invalid params", e.getMessage())));
        on(routes, JacksonException.class, (e, ctx) ->
                send(ctx, Problem.badRequest("the body is not valid JSON: " + e.getOriginalMessage())));
        on(routes, HttpResponseException.class, (e, ctx) -> send(ctx, ofJavalin(e, ctx)));
        on(routes, StoreException.class, (e, ctx) -> {
            log.warn("the store failed on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            send(ctx, Problem.of(503, "store-unavailable", "Store unavailable",
                    "the job store could not be reached just now; nothing was lost, retry shortly").retryAfter(1));
        });
        on(routes, Exception.class, (e, ctx) -> {
            String tooLarge = tooLarge(e);
            if (tooLarge != null) {
                send(ctx, tooLarge(tooLarge));
                return;
            }
            if (brokenRequest(e)) {
                send(ctx, Problem.badRequest("the request body could not be read: the connection ended early or its encoding is broken"));
                return;
            }
            log.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
            send(ctx, Problem.of(500, "internal", "Internal error", "the server failed to answer; the error is in its log"));
        });
        for (int status : new int[] {400, 404, 405, 408, 413, 500, 503}) {
            routes.error(status, "*", ctx -> {
                if (gone(ctx)) {
                    drop("HTTP " + status);
                } else if (ctx.result() == null) {
                    send(ctx, generic(status, ctx));
                }
            });
        }
    }

    /**
     * Answers {@code type} with {@code answer}, unless the request is gone. An answer that fails
     * because the request went away while it was being written is dropped too; any other failure
     * of an answer is a bug and goes on to Javalin, which logs it.
     */
    private static <E extends Exception> void on(RoutesConfig routes, Class<E> type, ExceptionHandler<E> answer) {
        routes.exception(type, (e, ctx) -> {
            if (gone(ctx)) {
                drop(e.toString());
                return;
            }
            try {
                answer.handle(e, ctx);
            } catch (RuntimeException again) {
                if (!gone(ctx)) throw again;
                drop(e.toString());
            }
        });
    }

    /**
     * True when Jetty has already ended this request and recycled it, as it does with every held
     * long-poll when the server stops. Nothing may then be asked of {@code ctx}'s request or
     * response (Javalin's {@code ctx.path()} throws a NullPointerException); this check only
     * reads whether Jetty still holds the request.
     */
    static boolean gone(Context ctx) {
        ServletRequest r = ctx.req();
        while (r instanceof ServletRequestWrapper w) r = w.getRequest();
        return r instanceof ServletApiRequest api && api.getRequest() == null;
    }

    private static void drop(String what) {
        dropped.increment();
        log.debug("dropped an error for a request that is gone: {}", what);
    }

    /** How many errors were dropped because their request was gone, since the process started. */
    static long droppedErrors() {
        return dropped.sum();
    }

    /** The detail when {@code e} is a body that passed the limit while streaming ({@link BodyLimit} fails its read with a 413), else null. */
    private static String tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jetty.http.HttpException h && h.getCode() == 413) {
                return h.getReason() != null ? h.getReason() : TOO_LARGE;
            }
        }
        return null;
    }

    static Problem readTimeout() {
        return Problem.of(408, "read-timeout", "Request timeout",
                "the request stopped arriving: the client paused longer than the server's read timeout while sending it");
    }

    static Problem tooLarge(String detail) {
        return Problem.of(413, "too-large", "Body too large", detail);
    }

    /** A failure reading what the client sent (an early end, bad chunked encoding), not a fault of ours. */
    private static boolean brokenRequest(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException || t instanceof org.eclipse.jetty.http.HttpException) return true;
        }
        return false;
    }

    static Problem of(JobException e) {
        return switch (e) {
            case JobException.NotFound n -> Problem.notFound(n.getMessage());
            case JobException.Conflict c -> Problem.of(409, "conflict", "State conflict", c.getMessage());
            case JobException.UnknownType u -> Problem.of(422, "unknown-type", "Unknown job type", u.getMessage());
            case JobException.KeyReused k -> Problem.of(422, "idempotency-key-reused", "Idempotency-Key reused", k.getMessage());
            case JobException.Unprocessable u -> Problem.of(422, u.type(), "Cannot be run", u.getMessage());
            case JobException.Full f -> Problem.of(429, "full", "Too many requests", f.getMessage()).retryAfter(f.retryAfterSeconds());
            case JobException.Draining d -> Problem.of(503, "draining", "Shutting down", d.getMessage()).retryAfter(5);
        };
    }

    private static Problem ofJavalin(HttpResponseException e, Context ctx) {
        if (e.getStatus() == 413) return tooLarge(TOO_LARGE);
        return generic(e.getStatus(), ctx);
    }

    private static Problem generic(int status, Context ctx) {
        return switch (status) {
            case 404 -> Problem.of(404, "no-route", "Not found", "no route for " + ctx.method() + " " + ctx.path());
            case 405 -> Problem.of(405, "method-not-allowed", "Method not allowed", ctx.method() + " is not allowed on " + ctx.path());
            case 413 -> tooLarge(TOO_LARGE);
            case 400 -> Problem.badRequest("the request could not be read");
            case 408 -> readTimeout();
            default -> Problem.of(status, "http-" + status, "HTTP " + status, "the request could not be answered");
        };
    }

    /** {@code X-Content-Type-Options: nosniff}, on every API answer and every problem. */
    static void nosniff(Context ctx) {
        ctx.header(Header.X_CONTENT_TYPE_OPTIONS, NOSNIFF);
    }

    static void send(Context ctx, Problem p) {
        ctx.status(p.status());
        nosniff(ctx);
        if (p.retryAfterSeconds() != null) ctx.header("Retry-After", String.valueOf(p.retryAfterSeconds()));
        ctx.header("Cache-Control", "no-store");
        ctx.contentType(Problem.CONTENT_TYPE).result(Json.bytes(p));
    }
}
