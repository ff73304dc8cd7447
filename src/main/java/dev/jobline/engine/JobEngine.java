package dev.jobline.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.job.Callback;
import dev.jobline.job.Job;
import dev.jobline.job.JobException;
import dev.jobline.job.JobType;
import dev.jobline.job.InvalidRunOptionsException;
import dev.jobline.job.ParamsSchema;
import dev.jobline.job.RunOptions;
import dev.jobline.job.Transitions;
import dev.jobline.store.ActiveJobs;
import dev.jobline.store.Admission;
import dev.jobline.store.FeedListener;
import dev.jobline.store.IdempotencyKey;
import dev.jobline.store.Insert;
import dev.jobline.store.JobStore;
import dev.jobline.store.NodeInfo;
import dev.jobline.time.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job engine of one node: accepts jobs into the store, runs the ones this node claims, hands
 * a cancel to whichever node runs the job, and takes over the jobs of nodes that are gone. Its
 * time (timestamps, the flush rate, heartbeats) comes from the injected {@link Timers}.
 */
public final class JobEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobEngine.class);
    private static final int SWEEP_BATCH = 100;

    private final Map<String, JobType> types = new LinkedHashMap<>();
    private final JobStore store;
    private final ActiveJobs active;
    private final EngineOptions options;
    private final Quotas quotas;
    private final Timers timers;
    private final Runner runner;
    private final Reaper reaper;
    private final Uploads uploads;
    private final Batches batches;
    private final BatchProgress batchProgress;
    private final Reservations reservations = new Reservations();
    final Map<String, Boolean> keysInFlight = new ConcurrentHashMap<>(); // why: Batches shares it, so a key is in flight once
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final Instant startedAt;
    private volatile Supplier<Map<String, Integer>> localWaiters = Map::of;
    private volatile Map<String, Integer> waitersElsewhere = Map.of();
    private volatile boolean draining;
    private volatile boolean closed;

    /**
     * @param active the store's active jobs, attached to the store ({@link ActiveJobs#attach}) before {@link #start()}
     */
    public JobEngine(JobStore store, ActiveJobs active, Collection<JobType> jobTypes, EngineOptions options, Quotas quotas,
                     Timers timers, ObjectMapper mapper) {
        for (JobType t : jobTypes) {
            if (types.putIfAbsent(t.name(), t) != null) throw new IllegalArgumentException("two job types named " + t.name());
        }
        this.store = store;
        this.active = active;
        this.options = options;
        this.quotas = quotas;
        this.timers = timers;
        this.uploads = new Uploads(store.uploads(), options.uploads(), options.retention(), timers.clock());
        this.runner = new Runner(store, active, types, options, timers, mapper, uploads);
        this.reaper = new Reaper(store, active, runner, types, options);
        this.batches = new Batches(this, store);
        this.batchProgress = new BatchProgress(store, active, options.nodeId(), runner::now, timers, options.progressFlushInterval());
        this.startedAt = runner.now();
        store.subscribe(this::committed);
    }

    private void committed(FeedListener.Batch batch) {
        boolean placeFreed = false;
        for (Job j : batch.jobs()) {
            runner.changed(j);
            batchProgress.changed(j);
            if (j.state() == dev.jobline.job.JobState.QUEUED) runner.queued(j);
            else if (j.queue() != null && j.state() != dev.jobline.job.JobState.RUNNING) placeFreed = true; // why: in a declared queue, on any node
        }
        if (placeFreed) runner.wake();
    }

    /** Announces the node, takes over what dead nodes (or this node's previous life) left, and starts claiming and the periodic work. */
    public void start() {
        heartbeat();
        reaper.run(true);
        runner.start();
        every(options.heartbeat(), () -> {
            heartbeat();
            reaper.run(false);
            active.prune();
        });
        Duration sweepEvery = Duration.ofMillis(Math.max(1_000, Math.min(60_000, options.retention().toMillis() / 10)));
        every(sweepEvery, () -> {
            if (!sweeping.compareAndSet(false, true)) return;
            try {
                sweep();
            } finally {
                sweeping.set(false);
            }
        });
    }

    /** Runs {@code task} on a virtual thread every {@code d} (by the engine's timers) until the engine closes; failures are logged. */
    private void every(Duration d, Runnable task) {
        timers.after(d, () -> {
            if (closed) return;
            Thread.ofVirtual().start(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("periodic work failed; trying again in {}: {}", d, e.getMessage());
                } finally {
                    if (!closed) every(d, task);
                }
            });
        });
    }

    private void heartbeat() {
        Map<String, Integer> mine = localWaiters.get();
        store.heartbeat(new NodeInfo(options.nodeId(), startedAt, runner.now(), runner.running(), draining, mine));
        Map<String, Integer> others = new java.util.HashMap<>();
        Instant cutoff = runner.now().minus(options.lease());
        for (NodeInfo n : store.nodes()) {
            if (n.id().equals(options.nodeId()) || n.heartbeatAt().isBefore(cutoff)) continue;
            n.waiters().forEach((owner, count) -> others.merge(owner, count, Integer::sum));
        }
        waitersElsewhere = Map.copyOf(others);
    }

    /** Wires the long-poll counts of this node into its heartbeat, so per-owner waiter quotas hold across the cluster. */
    public void reportWaiters(Supplier<Map<String, Integer>> byOwner) {
        this.localWaiters = byOwner;
    }

    /** Long-polls the owner has waiting on the other live nodes, as of their last heartbeats. */
    public int waitersElsewhere(String owner) {
        return waitersElsewhere.getOrDefault(owner == null ? "" : owner, 0);
    }

    /**
     * Deletes finished jobs older than the retention time (they show as deleted in the collection
     * watch) and forgets tombstones and idempotency keys older than that, and at least a day.
     * Runs by itself now and then; returns how many jobs it deleted.
     */
    public int sweep() {
        Instant now = runner.now();
        int deleted = 0;
        List<String> ids;
        do {
            // why: a hundred at a time, since each job may take up to --max-log-lines log lines with it, and
            // other writes wait for the transaction that deletes them
            ids = store.deleteFinishedBefore(now.minus(options.retention()), now, SWEEP_BATCH);
            deleted += ids.size();
        } while (ids.size() == SWEEP_BATCH);
        Duration keep = options.retention().compareTo(Duration.ofDays(1)) > 0 ? options.retention() : Duration.ofDays(1);
        store.forgetBefore(now.minus(keep));
        uploads.sweep();
        return deleted;
    }

    /** For tests: makes the threads that run this node's jobs (a test may hold one between its claim and its start). */
    void jobThreads(java.util.concurrent.ThreadFactory factory) {
        runner.jobThreads = factory;
    }

    /** For tests: draws the jitter of retry backoffs (numbers in [0, 1)) from {@code uniform} instead of a random source. */
    void jitter(java.util.function.DoubleSupplier uniform) {
        runner.jitter = uniform;
    }

    /** The engine's clock: what "now" is for due times. */
    public java.time.Clock clock() {
        return timers.clock();
    }

    /** For tests: the runner, to see when it is to wake for the next due job. */
    Runner runner() {
        return runner;
    }

    /** The declared queues (--queues) and their limits. */
    public Map<String, Integer> queues() {
        return options.queues();
    }

    /** For tests: whether job {@code id} is in this node's live set (claimed here and not yet left). */
    boolean runsHere(String id) {
        return runner.live.containsKey(id);
    }

    /** Takes over the running jobs of nodes that are gone now, instead of at the next heartbeat; returns how many. */
    public int reap() {
        return reaper.run(false);
    }

    public Uploads uploads() {
        return uploads;
    }

    public Collection<JobType> types() {
        return types.values();
    }

    public String nodeId() {
        return options.nodeId();
    }

    /** The nodes sharing the store; each one's running count is read from the feed (its heartbeat's may be seconds old). */
    public List<NodeInfo> nodes() {
        Map<String, Integer> running = new java.util.HashMap<>();
        for (Job j : active.all()) {
            if (j.state() == dev.jobline.job.JobState.RUNNING && j.node() != null) running.merge(j.node(), 1, Integer::sum);
        }
        return store.nodes().stream()
                .map(n -> new NodeInfo(n.id(), n.startedAt(), n.heartbeatAt(), running.getOrDefault(n.id(), 0), n.draining(), n.waiters()))
                .toList();
    }

    /** Accepts a job; see {@link #submit(String, JsonNode, String, String, String)}. */
    public Job submit(String typeName, JsonNode params, String owner) {
        return submit(typeName, params, owner, null, null);
    }

    /**
     * Accepts a job: validates its params against the type's schema (filling in defaults), checks
     * the limits, and stores it; a node with a free place claims it. With an Idempotency-Key, the
     * first request with a key creates the job; the same key with the same {@code requestHash}
     * later returns that job as it is now; another hash throws KeyReused; while the first is still
     * being handled here, a second throws Conflict. Keys are scoped to the owner. Throws
     * UnknownType, InvalidParamsException, Full or Draining too.
     */
    public Job submit(String typeName, JsonNode params, String owner, String key, String requestHash) {
        return submit(typeName, params, owner, key, requestHash, null);
    }

    /** As {@link #submit(String, JsonNode, String, String, String)}, with a callback (checked by the caller) told when the job ends. */
    public Job submit(String typeName, JsonNode params, String owner, String key, String requestHash, Callback callback) {
        return submit(typeName, params, owner, key, requestHash, callback, RunOptions.NONE, null);
    }

    /** As {@link #submit(String, JsonNode, String, String, String, Callback, RunOptions, List)}, waiting for no other job. */
    public Job submit(String typeName, JsonNode params, String owner, String key, String requestHash, Callback callback, RunOptions run) {
        return submit(typeName, params, owner, key, requestHash, callback, run, null);
    }

    /**
     * As {@link #submit(String, JsonNode, String, String, String, Callback)}, with when and how the
     * job runs (checked by the caller, but for its queue: a queue this node has not declared
     * throws InvalidRunOptionsException naming {@code queue}), waiting for the jobs {@code after}
     * names (null: none) to succeed.
     */
    public Job submit(String typeName, JsonNode params, String owner, String key, String requestHash, Callback callback, RunOptions run,
                      List<String> after) {
        if (draining) throw new JobException.Draining();
        JobType type = type(typeName);
        ObjectNode valid = ParamsSchema.validate(type.paramsSchema(), params);
        RunOptions how = run == null ? RunOptions.NONE : run;
        checkQueue(how);
        if (key == null) return insert(typeName, valid, owner, null, callback, how, after);
        String scope = owner == null ? "" : owner;
        String slot = scope + "\n" + key;
        if (keysInFlight.putIfAbsent(slot, Boolean.TRUE) != null) {
            throw new JobException.Conflict("a request with this Idempotency-Key is still being handled; retry once it is answered");
        }
        try {
            Optional<IdempotencyKey> known = store.findKey(scope, key);
            if (known.isPresent()) return replay(known.get(), requestHash);
            return insert(typeName, valid, owner, new IdempotencyKey(scope, key, requestHash, null, runner.now()), callback, how, after);
        } finally {
            keysInFlight.remove(slot);
        }
    }

    /** Throws InvalidRunOptionsException naming {@code queue} when the job names a queue this node has not declared. */
    void checkQueue(RunOptions how) {
        if (how.queue() != null && !options.queues().containsKey(how.queue())) {
            throw new InvalidRunOptionsException("queue", "'" + how.queue() + "' is not a declared queue; declared queues: "
                    + (options.queues().isEmpty() ? "none (start the server with --queues name=LIMIT,...)" : String.join(", ",
                    new java.util.TreeSet<>(options.queues().keySet()))));
        }
    }

    private Job insert(String typeName, ObjectNode params, String owner, IdempotencyKey key, Callback callback, RunOptions how,
                       List<String> after) {
        reserve(owner, 1);
        try {
            Job job = how.applyTo(Job.queued(UUID.randomUUID().toString(), typeName, params, owner, runner.now())
                    .with(b -> b.callback(callback).after(after)), types.get(typeName).retry());
            IdempotencyKey k = key == null ? null : new IdempotencyKey(key.scope(), key.key(), key.requestHash(), job.id(), key.createdAt());
            Admission.Rate rate = rate(owner);
            Insert done = store.insert(job, new Admission(k, rate, uploads.usedBy(types.get(typeName).paramsSchema(), params, owner)));
            return switch (done) {
                case Insert.Inserted in -> {
                    active.offer(in.job());
                    runner.queued(in.job());
                    yield in.job();
                }
                case Insert.KeyTaken taken -> replay(taken.key(), k.requestHash());
                case Insert.UploadMissing missing -> throw Uploads.gone(types.get(typeName).paramsSchema(), params, missing.uploadId());
                case Insert.RateLimited limited -> throw rateLimited(limited);
                case Insert.DependencyRefused refused -> throw Batches.refused(refused);
            };
        } finally {
            reservations.release(owner, 1);
        }
    }

    JobException.Full rateLimited(Insert.RateLimited limited) {
        return new JobException.Full("quota max-submits-per-second-per-owner (" + quotas.submitsPerSecond()
                + " a second) reached for this owner", (int) Math.ceil(limited.waitSeconds()));
    }

    /** The submit-rate token an insert must take, or null when there is no such quota. */
    Admission.Rate rate(String owner) {
        return quotas.submitsPerSecond() == null ? null : new Admission.Rate(owner, quotas.submitsPerSecond(), runner.now());
    }

    /**
     * Accepts a batch: {@code jobs} stored all or none under a new parent of type {@code batch},
     * which {@code callback} (may be null) is told of when it ends; see {@link Batches}.
     */
    public Job submitBatch(List<Batches.Item> jobs, String owner, Callback callback) {
        return submitBatch(jobs, owner, callback, null, null);
    }

    /** As {@link #submitBatch(List, String, Callback)}, with an Idempotency-Key (may be null) handled as {@link #submit} does, for the parent. */
    public Job submitBatch(List<Batches.Item> jobs, String owner, Callback callback, String key, String requestHash) {
        if (draining) throw new JobException.Draining();
        return batches.submit(jobs, owner, callback, key, requestHash);
    }

    Instant now() {
        return runner.now();
    }

    void wake() {
        runner.wake();
    }

    /** Counts {@code count} submits against the queue bound and the owner's active quota, or throws Full naming the limit. */
    void reserve(String owner, int count) {
        reservations.take(owner, count);
        if (active.queued() + reservations.total() > options.maxQueued()) {
            reservations.release(owner, count);
            throw new JobException.Full("the queue is full (" + options.maxQueued() + " jobs waiting to run)", 1);
        }
        Integer max = quotas.maxActive();
        if (max != null && active.activeOf(owner) + reservations.of(owner) > max) {
            reservations.release(owner, count);
            throw new JobException.Full("quota max-active-per-owner (" + max + " jobs queued or running) reached for this owner", 1);
        }
    }

    Job replay(IdempotencyKey k, String requestHash) {
        if (!k.requestHash().equals(requestHash)) {
            throw new JobException.KeyReused("this Idempotency-Key was used before with a different request body; use a new key for a new request");
        }
        return get(k.jobId()).orElseThrow(() ->
                new JobException.Conflict("the job this Idempotency-Key created, " + k.jobId() + ", has been deleted"));
    }

    void release(String owner, int count) {
        reservations.release(owner, count);
    }

    JobType type(String typeName) {
        JobType type = types.get(typeName);
        if (type == null) {
            throw new JobException.UnknownType("unknown job type '" + typeName + "'; known types: " + String.join(", ", types.keySet()));
        }
        return type;
    }

    /** The job as last committed; active jobs come from memory, the others from the store. */
    public Optional<Job> get(String id) {
        Optional<Job> a = active.get(id);
        return a.isPresent() ? a : store.get(id);
    }

    /** The attempts of a job's callback delivery, oldest first; empty when it has none (see {@link JobStore#deliveries}). */
    public List<dev.jobline.store.DeliveryAttempt> deliveries(String jobId) { return store.deliveries(jobId); }

    /**
     * Cancels a job wherever it runs: a queued one at once, a running one by a stored request that
     * its node hears of and acts on (its handler is interrupted). Returns the job as this call left
     * it. Throws NotFound, or Conflict when it already ended.
     */
    public Job cancel(String id) {
        for (int round = 0; round < 100; round++) {
            Job cur = store.get(id).orElseThrow(() -> new JobException.NotFound(id));
            Job next = Transitions.cancel(cur, runner.now());
            if (next == cur) return cur;
            Optional<Job> stored = store.update(next, cur.version());
            if (stored.isPresent()) {
                active.offer(stored.get());
                runner.changed(stored.get());
                return stored.get();
            }
        }
        throw new JobException.Conflict("job " + id + " kept changing while it was being cancelled; try again");
    }

    /** Deletes a finished job. Throws NotFound, or Conflict while it is queued or running. */
    public void delete(String id) {
        switch (store.delete(id, runner.now())) {
            case DELETED -> { }
            case MISSING -> throw new JobException.NotFound(id);
            case NOT_TERMINAL -> throw new JobException.Conflict("job " + id + " is "
                    + get(id).map(j -> j.state().wireName()).orElse("not finished") + "; cancel it first or wait until it ends");
        }
    }

    public boolean isDraining() {
        return draining;
    }

    /**
     * Drains: new jobs are refused, running jobs get {@code grace} to finish, and the rest are handed
     * back to the store for another node or the next start.
     */
    public void drain(Duration grace) {
        draining = true;
        try {
            heartbeat();
        } catch (RuntimeException e) {
            log.warn("could not announce the drain: {}", e.getMessage());
        }
        runner.stop(grace);
    }

    @Override
    public void close() {
        if (closed) return;
        if (!draining) drain(Duration.ZERO);
        closed = true;
        if (runner.running() == 0) {
            try {
                store.removeNode(options.nodeId());
            } catch (RuntimeException e) {
                log.debug("could not remove this node's row: {}", e.getMessage());
            }
        }
        timers.close();
        store.close();
        uploads.close();
    }
}
