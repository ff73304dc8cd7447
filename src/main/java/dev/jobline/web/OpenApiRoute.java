package dev.jobline.web;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /openapi.json}: the OpenAPI 3.1 description of the contract, kept true by {@code OpenApiIT}. */
final class OpenApiRoute {
    static final String RESOURCE = "/openapi.json";

    private OpenApiRoute() {}

    static void register(RoutesConfig routes) {
        byte[] document = load();
        routes.get("/openapi.json", ctx -> JobRoutes.sendJson(ctx, document));
    }

    private static byte[] load() {
        try (InputStream in = OpenApiRoute.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
