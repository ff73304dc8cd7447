package dev.jobline.web;

import dev.jobline.engine.JobEngine;
import dev.jobline.job.JobException;
import dev.jobline.json.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code GET /api/jobs/{id}/deliveries}: the attempts of a job's callback, for whoever may see the job. */
final class DeliveryRoutes {
    private final JobEngine engine;

    DeliveryRoutes(JobEngine engine) {
        this.engine = engine;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/jobs/{id}/deliveries", this::deliveries);
    }

    private void deliveries(Context ctx) {
        String id = ctx.pathParam("id");
        engine.get(id).filter(j -> Auth.maySee(ctx, j)).orElseThrow(() -> new JobException.NotFound(id));
        JobRoutes.sendJson(ctx, Json.bytes(engine.deliveries(id)));
    }
}
