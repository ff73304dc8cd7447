package dev.jobline.web;

import dev.jobline.engine.JobEngine;
import dev.jobline.json.Json;
import dev.jobline.store.NodeInfo;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/** {@code GET /api/nodes}: the nodes sharing the store, for admins (anyone when tokens are off). */
final class NodeRoutes {
    private final JobEngine engine;

    NodeRoutes(JobEngine engine) {
        this.engine = engine;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/nodes", this::nodes);
    }

    private record Node(String id, Instant startedAt, Instant heartbeatAt, int running, boolean draining) {}

    private record Nodes(List<Node> nodes) {}

    private void nodes(Context ctx) {
        Auth.requireAdmin(ctx);
        List<Node> out = engine.nodes().stream()
                .map((NodeInfo n) -> new Node(n.id(), n.startedAt(), n.heartbeatAt(), n.running(), n.draining()))
                .toList();
        JobRoutes.sendJson(ctx, Json.bytes(new Nodes(out)));
    }
}
