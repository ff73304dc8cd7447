package dev.jobline.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.callback.CallbackPolicy;
import dev.jobline.engine.Batches;
import dev.jobline.engine.JobEngine;
import dev.jobline.job.Callback;
import dev.jobline.job.Job;
import dev.jobline.json.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * {@code POST /api/batches}: many jobs stored all or none under a parent of type {@code batch},
 * answered as a submit is ({@code 202}, {@code Location} of the parent, the parent). A malformed
 * job is {@code 400} and one that cannot be run {@code 422}, each naming its place ({@code jobs[3].params.seconds}).
 * An {@code Idempotency-Key} is handled as a submit's is, for the parent.
 */
final class BatchRoutes {
    private final JobEngine engine;
    private final CallbackPolicy callbacks;

    BatchRoutes(JobEngine engine, CallbackPolicy callbacks) {
        this.engine = engine;
        this.callbacks = callbacks;
    }

    void register(RoutesConfig routes) {
        routes.post("/api/batches", this::submit);
    }

    private void submit(Context ctx) {
        JsonNode body = readBody(ctx);
        String key = JobRoutes.idempotencyKey(ctx.header("Idempotency-Key"));
        JsonNode jobs = body.get("jobs");
        List<Batches.Item> items = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) items.add(item(jobs.get(i), "jobs[" + i + "]"));
        Job parent = engine.submitBatch(items, Auth.owner(ctx), callback(body.get("callback"), "callback"), key,
                key == null ? null : RequestHash.of(body));
        ctx.header("Location", "/api/jobs/" + parent.id());
        JobRoutes.sendJson(ctx.status(202), Json.job(parent));
    }

    private static JsonNode readBody(Context ctx) {
        byte[] raw = ctx.bodyAsBytes();
        if (raw.length == 0) throw Problem.badRequest("the body must be a JSON object like {\"jobs\": [{\"type\": \"sleep\"}]}").toException();
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(raw);
        } catch (java.io.IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JacksonException j ? j.getOriginalMessage() : e.getMessage();
            throw Problem.badRequest("the body is not valid JSON: " + why).toException();
        }
        if (body == null || !body.isObject()) throw Problem.badRequest("the body must be a JSON object, not " + AfterField.kind(body)).toException();
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("jobs") && !f.equals("callback")) {
                throw Problem.badRequest("unknown field '" + f + "' in the body; a batch has only jobs and callback").toException();
            }
        }
        JsonNode jobs = body.get("jobs");
        if (jobs == null || jobs.isNull()) throw Problem.badRequest("jobs is required: an array of submits like {\"type\": \"sleep\"}").toException();
        if (!jobs.isArray()) throw Problem.badRequest("jobs must be an array, not " + AfterField.kind(jobs)).toException();
        return body;
    }

    private Batches.Item item(JsonNode job, String at) {
        if (!job.isObject()) throw Problem.badRequest(at + " must be a JSON object like {\"type\": \"sleep\"}, not " + AfterField.kind(job)).toException();
        for (Iterator<String> it = job.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("type") && !f.equals("params") && !f.equals("callback") && !f.equals("after") && !SubmitFields.NAMES.contains(f)) {
                throw Problem.badRequest("unknown field '" + f + "' in " + at + "; a job of a batch has only type, params, callback, after,"
                        + " runAt, delay, priority, queue, timeout and retry").toException();
            }
        }
        JsonNode type = job.get("type");
        if (type == null || type.isNull()) throw Problem.badRequest(at + ".type is required: the name of a job type (see GET /api/types)").toException();
        if (!type.isTextual()) throw Problem.badRequest(at + ".type must be a string, not " + AfterField.kind(type)).toException();
        JsonNode params = job.get("params");
        if (params != null && !params.isNull() && !params.isObject()) {
            throw Problem.badRequest(at + ".params must be a JSON object, not " + AfterField.kind(params)).toException();
        }
        return new Batches.Item(type.asText(), params, callback(job.get("callback"), at + ".callback"), AfterField.read(job.get("after"), at + ".after"),
                SubmitFields.parse(job, java.time.Instant.now(engine.clock()), at + "."));
    }

    private Callback callback(JsonNode node, String field) {
        try {
            return callbacks.accept(node);
        } catch (CallbackPolicy.Refused r) {
            String prefix = field.substring(0, field.length() - "callback".length());
            String detail = r.getMessage().startsWith("callback") ? prefix + r.getMessage() : prefix + (prefix.isEmpty() ? "" : "callback: ") + r.getMessage();
            throw (r.status() == 400 ? Problem.badRequest(detail) : Problem.of(422, "invalid-callback", "Callback not accepted", detail)).toException();
        }
    }
}
