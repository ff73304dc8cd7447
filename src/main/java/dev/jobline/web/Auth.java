package dev.jobline.web;

import dev.jobline.job.Job;
import io.javalin.http.Context;

/**
 * Who a request is from, and what it may see. Without tokens every caller sees every job. With
 * tokens, {@code /api} routes need {@code Authorization: Bearer <token>}; a user sees only its
 * owner's jobs (anyone else's answer exactly as missing ones), an admin sees all.
 */
final class Auth {
    private static final String PRINCIPAL = "jobline.principal";
    private final Tokens tokens;

    Auth(Tokens tokens) {
        this.tokens = tokens;
    }

    /** The before-handler of {@code /api/*}: answers 401 unless tokens are off or the bearer token is known. */
    void authenticate(Context ctx) {
        if (tokens == null) return;
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"jobline\"");
            throw Problem.of(401, "unauthorized", "Unauthorized", "this server needs 'Authorization: Bearer <token>'").toException();
        }
        Tokens.Principal p = tokens.lookup(header.substring(7).strip()).orElseThrow(() -> {
            ctx.header("WWW-Authenticate", "Bearer realm=\"jobline\", error=\"invalid_token\"");
            return Problem.of(401, "unauthorized", "Unauthorized", "the bearer token is not one this server knows").toException();
        });
        ctx.attribute(PRINCIPAL, p);
    }

    /** The owner new jobs get: the caller's, or none without tokens. */
    static String owner(Context ctx) {
        Tokens.Principal p = ctx.attribute(PRINCIPAL);
        return p == null ? null : p.owner();
    }

    /** The owner a listing is limited to: a user's own; for an admin (or without tokens) the owner= filter if given. */
    static String listOwner(Context ctx) {
        Tokens.Principal p = ctx.attribute(PRINCIPAL);
        if (p != null && !p.admin()) return p.owner();
        String asked = ctx.queryParam("owner");
        return asked == null || asked.isEmpty() ? null : asked;
    }

    /** Throws 403 unless tokens are off or the caller is an admin. */
    static void requireAdmin(Context ctx) {
        Tokens.Principal p = ctx.attribute(PRINCIPAL);
        if (p != null && !p.admin()) {
            throw Problem.of(403, "forbidden", "Forbidden", "this route needs an admin token").toException();
        }
    }

    static boolean maySee(Context ctx, Job job) {
        return maySee(ctx, job.owner());
    }

    /** Whether the caller may see something (a job, an upload) of {@code owner}. */
    static boolean maySee(Context ctx, String owner) {
        Tokens.Principal p = ctx.attribute(PRINCIPAL);
        return p == null || p.admin() || p.owner().equals(owner);
    }
}
