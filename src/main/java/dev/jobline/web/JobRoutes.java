package dev.jobline.web;

import dev.jobline.json.Json;
import dev.jobline.callback.CallbackPolicy;
import dev.jobline.job.Callback;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.job.Job;
import dev.jobline.engine.JobEngine;
import dev.jobline.watch.JobWatch;
import dev.jobline.job.JobException;
import dev.jobline.job.JobState;
import dev.jobline.store.JobFilter;
import dev.jobline.watch.Cursor;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** The job routes of the v1 contract. */
final class JobRoutes {
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final JobEngine engine;
    private final JobWatch watch;
    private final Duration maxWait;
    private final CallbackPolicy callbacks;
    private io.javalin.http.Handler multipartSubmit;
    private StreamRoutes streams;

    JobRoutes(JobEngine engine, JobWatch watch, Duration maxWait, CallbackPolicy callbacks) {
        this.engine = engine;
        this.watch = watch;
        this.maxWait = maxWait;
        this.callbacks = callbacks;
    }

    /** Where a submit sent as multipart/form-data (a file with its job) goes instead. */
    JobRoutes multipartSubmit(io.javalin.http.Handler h) {
        this.multipartSubmit = h;
        return this;
    }

    /** Where a request with Accept: text/event-stream goes instead. */
    JobRoutes streams(StreamRoutes s) {
        this.streams = s;
        return this;
    }

    void register(RoutesConfig routes) {
        routes.post("/api/jobs", this::submit);
        routes.get("/api/jobs", this::list);
        routes.get("/api/jobs/{id}", this::get);
        routes.post("/api/jobs/{id}/cancel", this::cancel);
        routes.delete("/api/jobs/{id}", this::delete);
        routes.get("/api/types", this::types);
    }

    private void submit(Context ctx) throws Exception {
        if (multipartSubmit != null && MultipartBody.is(ctx)) {
            multipartSubmit.handle(ctx);
            return;
        }
        JsonNode body = readBody(ctx);
        String key = idempotencyKey(ctx.header("Idempotency-Key"));
        String owner = Auth.owner(ctx);
        Callback callback;
        try {
            callback = callbacks.accept(body.get("callback"));
        } catch (CallbackPolicy.Refused r) {
            throw (r.status() == 400 ? Problem.badRequest(r.getMessage())
                    : Problem.of(422, "invalid-callback", "Callback not accepted", r.getMessage())).toException();
        }
        dev.jobline.job.RunOptions run = SubmitFields.parse(body, java.time.Instant.now(engine.clock()));
        Job job = engine.submit(body.get("type").asText(), body.get("params"), owner, key, key == null ? null : RequestHash.of(body), callback,
                run, AfterField.read(body.get("after"), "after"));
        ctx.header("Location", "/api/jobs/" + job.id());
        sendJson(ctx.status(202), Json.job(job));
    }

    /** The Idempotency-Key header: null when absent; 1 to 255 printable ASCII characters, or 400. */
    static String idempotencyKey(String raw) {
        if (raw == null) return null;
        if (raw.isEmpty()) throw Problem.badRequest("Idempotency-Key must not be empty").toException();
        if (raw.length() > 255) throw Problem.badRequest("Idempotency-Key must be at most 255 characters, not " + raw.length()).toException();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw Problem.badRequest("Idempotency-Key must be printable ASCII characters; character " + (i + 1) + " is not").toException();
            }
        }
        return raw;
    }

    static JsonNode readBody(Context ctx) {
        byte[] raw = ctx.bodyAsBytes();
        if (raw.length == 0) throw Problem.badRequest("the body must be a JSON object like {\"type\": \"sleep\", \"params\": {}}").toException();
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(raw);
        } catch (java.io.IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JacksonException j ? j.getOriginalMessage() : e.getMessage();
            throw Problem.badRequest("the body is not valid JSON: " + why).toException();
        }
        if (body == null || !body.isObject()) throw Problem.badRequest("the body must be a JSON object, not " + kind(body)).toException();
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("type") && !f.equals("params") && !f.equals("callback") && !f.equals("after") && !SubmitFields.NAMES.contains(f)) {
                throw Problem.badRequest("unknown field '" + f + "' in the body; a job has only type, params, callback, runAt, delay,"
                        + " priority, queue, timeout, retry and after").toException();
            }
        }
        JsonNode type = body.get("type");
        if (type == null || type.isNull()) throw Problem.badRequest("type is required: the name of a job type (see GET /api/types)").toException();
        if (!type.isTextual()) throw Problem.badRequest("type must be a string, not " + kind(type)).toException();
        JsonNode params = body.get("params");
        if (params != null && !params.isNull() && !params.isObject()) {
            throw Problem.badRequest("params must be a JSON object, not " + kind(params)).toException();
        }
        return body;
    }

    private static String kind(JsonNode n) {
        if (n == null || n.isNull()) return "null";
        return n.getNodeType().name().toLowerCase();
    }

    /** The job if it exists and the caller may see it; otherwise NotFound, the same either way. */
    private Job visible(Context ctx, String id) {
        return engine.get(id).filter(j -> Auth.maySee(ctx, j)).orElseThrow(() -> new JobException.NotFound(id));
    }

    private void get(Context ctx) {
        String id = ctx.pathParam("id");
        if (streams != null && EventStream.wanted(ctx)) {
            streams.job(ctx, id);
            return;
        }
        String after = ctx.queryParam("after");
        if (after == null) {
            sendJson(ctx, Json.job(visible(ctx, id)));
            return;
        }
        long version = parseVersion(after);
        Duration wait = WaitParam.resolve(ctx.queryParam("wait"), ctx.header("Prefer"), DEFAULT_WAIT, maxWait);
        visible(ctx, id);
        var answer = watch.awaitJob(id, version, wait, Auth.owner(ctx));
        if (answer.isDone()) {
            sendJson(ctx, answer.join().json());
        } else {
            HeldRequest.hold(ctx, answer, s -> sendJson(ctx, s.json()));
        }
    }

    static long parseVersion(String after) {
        try {
            long v = Long.parseLong(after);
            if (v >= 0) return v;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw Problem.badRequest("after must be a job version, a whole number of 0 or more, not '"
                + (after.length() > 20 ? after.substring(0, 20) + "..." : after) + "'").toException();
    }

    private void list(Context ctx) {
        JobFilter filter = new JobFilter(states(ctx.queryParams("state")), ctx.queryParam("type"), Auth.listOwner(ctx), ctx.queryParam("parent"));
        int limit = limit(ctx.queryParam("limit"));
        if (streams != null && EventStream.wanted(ctx)) {
            streams.list(ctx, filter, limit);
            return;
        }
        String after = ctx.queryParam("after");
        if (after == null) {
            sendJson(ctx, Json.bytes(watch.list(filter, limit)));
            return;
        }
        Cursor cursor;
        try {
            cursor = Cursor.parse(after);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage()).toException();
        }
        Duration wait = WaitParam.resolve(ctx.queryParam("wait"), ctx.header("Prefer"), DEFAULT_WAIT, maxWait);
        var answer = watch.awaitChanges(cursor, filter, limit, wait, Auth.owner(ctx));
        if (answer.isDone()) {
            sendJson(ctx, Json.bytes(answer.join()));
        } else {
            HeldRequest.hold(ctx, answer, l -> sendJson(ctx, Json.bytes(l)));
        }
    }

    private static Set<JobState> states(List<String> raw) {
        Set<JobState> states = EnumSet.noneOf(JobState.class);
        for (String value : raw) {
            for (String name : value.split(",")) {
                if (name.isBlank()) continue;
                JobState s = JobState.fromWire(name.trim());
                if (s == null) {
                    throw Problem.badRequest("state must be one of queued, running, succeeded, failed, cancelled; not '"
                            + (name.length() > 20 ? name.substring(0, 20) + "..." : name) + "'").toException();
                }
                states.add(s);
            }
        }
        return states.isEmpty() ? null : states;
    }

    private static int limit(String raw) {
        if (raw == null) return DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(raw);
            if (n >= 1 && n <= MAX_LIMIT) return n;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw Problem.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT).toException();
    }

    private void cancel(Context ctx) {
        Job job = engine.cancel(visible(ctx, ctx.pathParam("id")).id());
        sendJson(ctx.status(202), Json.job(job));
    }

    private void delete(Context ctx) {
        engine.delete(visible(ctx, ctx.pathParam("id")).id());
        ctx.status(204);
    }

    private void types(Context ctx) {
        List<TypeInfo> out = engine.types().stream()
                .map(t -> new TypeInfo(t.name(), t.description(), t.paramsSchema()))
                .toList();
        sendJson(ctx, Json.bytes(out));
    }

    private record TypeInfo(String name, String description, ObjectNode params) {}

    /**
     * Writes {@code json} as the answer. Written straight to the response: Javalin copies a
     * {@code result(...)} through a fresh 32 KB buffer per response, which for one change with
     * 10,000 waiters is 320 MB of garbage to write 6 MB of JSON.
     */
    static void sendJson(Context ctx, byte[] json) {
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("application/json");
        ctx.res().setContentLength(json.length);
        try {
            ctx.res().getOutputStream().write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
