package dev.jobline.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.function.Supplier;

/** {@code GET /metrics}: the node's metrics for Prometheus; admins only when tokens are declared, like {@code GET /api/nodes}. */
final class MetricsRoute {
    private final Auth auth;
    private final Supplier<byte[]> metrics;
    private final String contentType;

    MetricsRoute(Auth auth, Supplier<byte[]> metrics, String contentType) {
        this.auth = auth;
        this.metrics = metrics;
        this.contentType = contentType;
    }

    void register(RoutesConfig routes) {
        routes.before("/metrics", Problems::nosniff);
        routes.get("/metrics", this::scrape);
    }

    private void scrape(Context ctx) {
        auth.authenticate(ctx); // why: /metrics is outside /api, whose before-handler asks for the token
        Auth.requireAdmin(ctx);
        byte[] text = metrics.get();
        ctx.header("Cache-Control", "no-store");
        ctx.contentType(contentType);
        ctx.res().setContentLength(text.length);
        try {
            ctx.res().getOutputStream().write(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
