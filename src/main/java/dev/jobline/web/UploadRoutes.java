package dev.jobline.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.engine.JobEngine;
import dev.jobline.engine.Uploads;
import dev.jobline.job.Job;
import dev.jobline.json.Json;
import dev.jobline.store.Upload;
import dev.jobline.store.UploadStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The upload routes, and the one-request upload-and-submit of {@code POST /api/jobs} as
 * {@code multipart/form-data}. Bodies stream to disk ({@link Uploads}); uploads have owners like
 * jobs, and anyone else's answers 404.
 */
final class UploadRoutes {
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final JobEngine engine;
    private final Uploads uploads;
    private final long maxUpload;
    private final long maxBody;

    UploadRoutes(JobEngine engine, long maxUpload, long maxBody) {
        this.engine = engine;
        this.uploads = engine.uploads();
        this.maxUpload = maxUpload;
        this.maxBody = maxBody;
    }

    void register(RoutesConfig routes) {
        routes.post("/api/uploads", this::create);
        routes.get("/api/uploads", this::list);
        routes.get("/api/uploads/{id}", ctx -> JobRoutes.sendJson(ctx, Json.bytes(visible(ctx, ctx.pathParam("id")))));
        routes.get("/api/uploads/{id}/content", this::content);
        routes.delete("/api/uploads/{id}", this::delete);
    }

    private void create(Context ctx) throws IOException {
        String owner = Auth.owner(ctx);
        Upload u;
        try {
            if (MultipartBody.is(ctx)) {
                u = MultipartBody.read(ctx, uploads, owner, maxUpload, maxBody, Set.of()).file();
                if (u == null) throw Problem.badRequest("the multipart/form-data body has no part named file").toException();
            } else {
                u = uploads.receive(owner, ctx.queryParam("name"), ctx.contentType(), maxUpload, ctx.req().getInputStream());
            }
        } catch (Uploads.TooLarge e) {
            throw Problems.tooLarge(e.getMessage()).toException();
        }
        ctx.header("Location", "/api/uploads/" + u.id());
        JobRoutes.sendJson(ctx.status(201), Json.bytes(u));
    }

    private void list(Context ctx) {
        String raw = ctx.queryParam("limit");
        int limit = DEFAULT_LIMIT;
        if (raw != null) {
            try {
                limit = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) throw Problem.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT).toException();
        }
        JobRoutes.sendJson(ctx, Json.bytes(Map.of("uploads", uploads.list(Auth.listOwner(ctx), limit))));
    }

    /** The upload if it exists and the caller may see it; 404 otherwise, the same either way. */
    private Upload visible(Context ctx, String id) {
        return uploads.find(id).filter(u -> Auth.maySee(ctx, u.owner())).orElseThrow(() -> missing(id));
    }

    private static Problem.Exception missing(String id) {
        return Problem.of(404, "not-found", "No such upload", "no upload with id " + (id.length() > 40 ? id.substring(0, 40) + "..." : id))
                .toException();
    }

    /** The bytes, as a download that never renders as a page: attachment, nosniff and a sandbox. */
    private void content(Context ctx) throws IOException {
        Upload u = visible(ctx, ctx.pathParam("id"));
        Path file;
        try {
            file = uploads.path(u.id());
        } catch (NoSuchFileException e) {
            throw missing(u.id());
        }
        try (InputStream in = Files.newInputStream(file)) {
            ctx.header("Cache-Control", "no-store");
            ctx.header("Content-Disposition", "attachment; filename*=UTF-8''" + encode(u.name()));
            ctx.header("Content-Security-Policy", "sandbox; default-src 'none'");
            ctx.contentType(u.contentType());
            ctx.res().setContentLengthLong(u.size());
            OutputStream out = ctx.res().getOutputStream();
            in.transferTo(out);
        }
    }

    private static String encode(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    private void delete(Context ctx) {
        Upload u = visible(ctx, ctx.pathParam("id"));
        UploadStore.Removal r = uploads.remove(u.id());
        switch (r) {
            case REMOVED -> ctx.status(204);
            case MISSING -> throw missing(u.id());
            case IN_USE -> throw Problem.of(409, "conflict", "State conflict", "upload " + u.id()
                    + " is used by a queued or running job; cancel the job or wait until it ends").toException();
        }
    }

    /** {@code POST /api/jobs} as multipart/form-data: parts type, params (JSON text, optional) and file; the job gets params.upload. */
    void submit(Context ctx) throws IOException {
        String owner = Auth.owner(ctx);
        MultipartBody.Result r;
        try {
            r = MultipartBody.read(ctx, uploads, owner, maxUpload, maxBody, Set.of("type", "params"));
        } catch (Uploads.TooLarge e) {
            throw Problems.tooLarge(e.getMessage()).toException();
        }
        Upload u = r.file();
        try {
            String type = r.fields().get("type");
            if (type == null || type.isBlank()) throw Problem.badRequest("the part type is required: the name of a job type (see GET /api/types)").toException();
            if (u == null) throw Problem.badRequest("the part file is required: the file the job works on").toException();
            ObjectNode params = params(r.fields().get("params"));
            params.put("upload", u.id());
            ObjectNode body = Json.MAPPER.createObjectNode().put("type", type.strip());
            body.set("params", params.deepCopy().put("upload", "sha256:" + u.sha256()));
            String key = JobRoutes.idempotencyKey(ctx.header("Idempotency-Key"));
            Job job = key == null ? engine.submit(type.strip(), params, owner)
                    : engine.submit(type.strip(), params, owner, key, RequestHash.of(body));
            if (!u.id().equals(job.params().path("upload").asText())) uploads.remove(u.id()); // why: a replay; the first request's upload is the job's
            ctx.header("Location", "/api/jobs/" + job.id());
            JobRoutes.sendJson(ctx.status(202), Json.job(job));
        } catch (RuntimeException e) {
            if (u != null) uploads.remove(u.id());
            throw e;
        }
    }

    private static ObjectNode params(String text) {
        if (text == null || text.isBlank()) return Json.MAPPER.createObjectNode();
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JacksonException j ? j.getOriginalMessage() : e.getMessage();
            throw Problem.badRequest("the part params is not valid JSON: " + why).toException();
        }
        if (n == null || !n.isObject()) throw Problem.badRequest("the part params must be a JSON object").toException();
        return (ObjectNode) n;
    }
}
