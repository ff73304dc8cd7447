package dev.jobline.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.job.Callback;
import dev.jobline.job.InvalidParamsException;
import dev.jobline.job.Job;
import dev.jobline.job.JobException;
import dev.jobline.job.JobState;
import dev.jobline.job.JobType;
import dev.jobline.job.ParamsSchema;
import dev.jobline.job.Progress;
import dev.jobline.store.Admission;
import dev.jobline.store.IdempotencyKey;
import dev.jobline.store.Insert;
import dev.jobline.store.JobStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Batches: many jobs submitted together under a parent of type {@code batch}, stored all or none.
 * The parent runs from the start (no handler runs it, and no node claims it: it is never
 * {@code queued}); the writes that end its children move its progress and end it (see
 * {@link dev.jobline.job.Transitions#batchChildEnded}), and cancelling it cancels them. Every
 * child counts against the queue bound and its owner's active quota; the whole batch takes one
 * token of the owner's submit rate. With an Idempotency-Key, the key names the parent and is
 * stored with the batch; a later request with it gets the parent as it is now, as a submit would.
 */
public final class Batches {
    /** The most jobs one batch may hold. */
    public static final int MAX_JOBS = 100_000;

    /** One job of a batch, as a submit gives it: {@code callback}, {@code after} and {@code run} may be null. */
    public record Item(String type, JsonNode params, Callback callback, List<String> after, dev.jobline.job.RunOptions run) {
        public Item(String type, JsonNode params, Callback callback, List<String> after) {
            this(type, params, callback, after, null);
        }
    }

    private final JobEngine engine;
    private final JobStore store;

    Batches(JobEngine engine, JobStore store) {
        this.engine = engine;
        this.store = store;
    }

    /** Why a submit's {@code after} is refused, as the engine's exception (422), naming the job and, in a batch, its place. */
    static JobException refused(Insert.DependencyRefused r) {
        String field = r.index() < 0 ? "after" : "jobs[" + r.index() + "].after";
        return new JobException.Unprocessable("invalid-after", field + ": job " + r.dependency() + " cannot be waited for: " + r.why());
    }

    Job submit(List<Item> items, String owner, Callback callback, String key, String requestHash) {
        if (items.isEmpty()) throw new JobException.Unprocessable("invalid-batch", "jobs must hold at least one job");
        if (items.size() > MAX_JOBS) {
            throw new JobException.Unprocessable("invalid-batch", "jobs holds " + items.size() + " jobs; a batch holds at most " + MAX_JOBS);
        }
        Instant now = engine.now();
        String parentId = UUID.randomUUID().toString();
        List<Job> children = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) children.add(child(items.get(i), i, parentId, owner, now));
        ObjectNode params = JsonNodeFactory.instance.objectNode().put("jobs", items.size());
        Job parent = new Job.Builder().id(parentId).type(Job.BATCH).state(JobState.RUNNING).version(1)
                .progress(new Progress(0, 0L, (long) items.size(), "0 of " + items.size() + " ended")).params(params)
                .createdAt(now).startedAt(now).updatedAt(now).owner(owner).callback(callback).build();
        if (key == null) return insert(parent, children, owner, null);
        String scope = owner == null ? "" : owner;
        String slot = scope + "\n" + key;
        if (engine.keysInFlight.putIfAbsent(slot, Boolean.TRUE) != null) {
            throw new JobException.Conflict("a request with this Idempotency-Key is still being handled; retry once it is answered");
        }
        try {
            Optional<IdempotencyKey> known = store.findKey(scope, key);
            if (known.isPresent()) return engine.replay(known.get(), requestHash);
            return insert(parent, children, owner, new IdempotencyKey(scope, key, requestHash, parentId, now));
        } finally {
            engine.keysInFlight.remove(slot);
        }
    }

    private Job insert(Job parent, List<Job> children, String owner, IdempotencyKey key) {
        engine.reserve(owner, children.size());
        try {
            Insert done = store.insertBatch(parent, children, new Admission(key, engine.rate(owner)));
            return switch (done) {
                case Insert.Inserted in -> {
                    engine.wake();
                    yield in.job();
                }
                case Insert.RateLimited limited -> throw engine.rateLimited(limited);
                case Insert.DependencyRefused r -> throw refused(r);
                case Insert.KeyTaken taken -> engine.replay(taken.key(), key.requestHash());
                case Insert.UploadMissing m -> throw new IllegalStateException("a batch uses no uploads");
            };
        } finally {
            engine.release(owner, children.size());
        }
    }

    private Job child(Item item, int i, String parentId, String owner, Instant now) {
        String at = "jobs[" + i + "]";
        JobType type;
        ObjectNode params;
        try {
            type = engine.type(item.type());
            params = ParamsSchema.validate(type.paramsSchema(), item.params());
        } catch (JobException.UnknownType e) {
            throw new JobException.UnknownType(at + ".type: " + e.getMessage());
        } catch (InvalidParamsException e) {
            throw new InvalidParamsException(at + "." + e.getMessage());
        }
        if (ParamsSchema.uploadParams(type.paramsSchema()).stream().anyMatch(params::has)) {
            throw new InvalidParamsException(at + ".params: jobs of a batch cannot use uploads; submit a job with uploads on its own");
        }
        dev.jobline.job.RunOptions run = item.run() == null ? dev.jobline.job.RunOptions.NONE : item.run();
        try {
            engine.checkQueue(run);
        } catch (dev.jobline.job.InvalidRunOptionsException e) {
            throw new dev.jobline.job.InvalidRunOptionsException(at + "." + e.field(), e.getMessage().substring(e.field().length() + 2));
        }
        return run.applyTo(Job.queued(UUID.randomUUID().toString(), item.type(), params, owner, now)
                .with(b -> b.parent(parentId).callback(item.callback()).after(item.after())), type.retry());
    }
}
