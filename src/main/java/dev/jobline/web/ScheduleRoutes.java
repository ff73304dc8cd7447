package dev.jobline.web;

import dev.jobline.json.Json;
import dev.jobline.schedule.Scheduler;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /api/schedules}: the recurring jobs of {@code --schedules} with their next and last
 * run, for any token (as {@code GET /api/types}: the file is the operator's, not a client's). The
 * jobs a schedule starts have no owner, so only an admin token (or anyone when tokens are off)
 * can open {@code lastJob}.
 */
final class ScheduleRoutes {
    private final Supplier<List<Scheduler.Info>> schedules;

    ScheduleRoutes(Supplier<List<Scheduler.Info>> schedules) {
        this.schedules = schedules;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/schedules", this::list);
    }

    private void list(Context ctx) {
        JobRoutes.sendJson(ctx, Json.bytes(schedules.get()));
    }
}
