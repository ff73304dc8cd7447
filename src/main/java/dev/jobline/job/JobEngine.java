package dev.jobline.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.store.IdempotencyKey;
import dev.jobline.store.JobStore;
import dev.jobline.time.Timers;
import dev.jobline.watch.Snapshot;
import dev.jobline.watch.Waiting;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * The job engine: accepts jobs, runs them on virtual threads, answers what a job looks like now,
 * and lets callers wait for the next change of one job or of the whole collection.
 */
public final class JobEngine implements AutoCloseable {
    private final Map<String, JobType> types = new LinkedHashMap<>();
    private final JobTable table;
    private final JobRunner runner;
    private final Waiting waiting;
    private final JobWatch watch;
    private final ScheduledExecutorService scheduler;
    private final EngineOptions options;
    private final Timers timers;
    private final Map<String, Boolean> keysInFlight = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile boolean draining;

    public JobEngine(JobStore store, Collection<JobType> jobTypes, EngineOptions options, Clock clock,
                     ObjectMapper mapper, Function<Job, byte[]> writer) {
        this(store, jobTypes, options, Quotas.none(), clock, mapper, writer);
    }

    /** An engine that also enforces per-owner quotas. */
    public JobEngine(JobStore store, Collection<JobType> jobTypes, EngineOptions options, Quotas quotas, Clock clock,
                     ObjectMapper mapper, Function<Job, byte[]> writer) {
        this(store, jobTypes, options, quotas, Timers.system(clock), mapper, writer);
    }

    /**
     * An engine whose time (timestamps, waits, the submit rate) comes from {@code timers}; it
     * closes them when it closes.
     */
    public JobEngine(JobStore store, Collection<JobType> jobTypes, EngineOptions options, Quotas quotas, Timers timers,
                     ObjectMapper mapper, Function<Job, byte[]> writer) {
        Clock clock = timers.clock();
        this.timers = timers;
        QuotaCounters counters = new QuotaCounters(quotas, clock);
        for (JobType t : jobTypes) {
            if (types.putIfAbsent(t.name(), t) != null) throw new IllegalArgumentException("two job types named " + t.name());
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jobline-scheduler");
            t.setDaemon(true);
            return t;
        });
        this.options = options;
        this.table = new JobTable(store, clock, writer, counters);
        this.runner = new JobRunner(table, options, mapper, scheduler);
        this.waiting = new Waiting(options.maxWaiters(), timers);
        this.watch = new JobWatch(table, waiting, counters);
    }

    /** Picks up what a previous process left unfinished, starts running queued jobs, and starts the retention sweep. */
    public void start() {
        Recovery.run(table, runner, types, options.maxAttempts());
        runner.start();
        long every = Math.max(1_000, Math.min(60_000, options.retention().toMillis() / 10));
        scheduler.scheduleWithFixedDelay(() -> {
            if (sweeping.compareAndSet(false, true)) {
                Thread.ofVirtual().name("jobline-retention").start(() -> {
                    try {
                        sweep();
                    } catch (RuntimeException e) {
                        LoggerFactory.getLogger(JobEngine.class).warn("retention sweep failed; will try again", e);
                    } finally {
                        sweeping.set(false);
                    }
                });
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Deletes finished jobs older than the retention time (they show as deleted in the collection
     * watch) and forgets tombstones and idempotency keys older than that, and at least a day.
     * Runs by itself now and then; returns how many jobs it deleted.
     */
    public int sweep() {
        Instant now = table.now();
        int deleted = 0;
        List<String> ids;
        do {
            ids = table.store.deleteFinishedBefore(now.minus(options.retention()), now, 1000);
            deleted += ids.size();
        } while (ids.size() == 1000);
        Duration keep = options.retention().compareTo(Duration.ofDays(1)) > 0 ? options.retention() : Duration.ofDays(1);
        table.store.forgetBefore(now.minus(keep));
        if (deleted > 0) table.feedChanged();
        return deleted;
    }

    public Collection<JobType> types() {
        return types.values();
    }

    /**
     * Accepts a job: validates its params against the type's schema (filling in defaults), stores
     * it, and queues it. Throws UnknownType, InvalidParamsException, Full or Draining.
     */
    public Job submit(String typeName, JsonNode params, String owner) {
        LiveJob lj = prepare(typeName, params, owner);
        Job job = lj.job();
        Job stored;
        try {
            stored = table.store.insert(job);
        } catch (RuntimeException e) {
            untrack(lj, owner);
            throw e;
        }
        accept(lj);
        return stored;
    }

    /**
     * Accepts a job at most once per Idempotency-Key: the first request with a key creates the
     * job; the same key with the same {@code requestHash} later returns that job as it is now; the
     * same key with another hash throws KeyReused; while the first is still being handled, a
     * second throws Conflict. Keys are scoped to the owner.
     */
    public Job submit(String typeName, JsonNode params, String owner, String key, String requestHash) {
        if (key == null) return submit(typeName, params, owner);
        String scope = owner == null ? "" : owner;
        String slot = scope + "\n" + key;
        if (keysInFlight.putIfAbsent(slot, Boolean.TRUE) != null) {
            throw new JobException.Conflict("a request with this Idempotency-Key is still being handled; retry once it is answered");
        }
        try {
            Optional<IdempotencyKey> known = table.store.findKey(scope, key);
            if (known.isPresent()) return replay(known.get(), requestHash);
            LiveJob lj = prepare(typeName, params, owner);
            Job job = lj.job();
            IdempotencyKey stored;
            try {
                stored = table.store.insert(job, new IdempotencyKey(scope, key, requestHash, job.id(), table.now()));
            } catch (RuntimeException e) {
                untrack(lj, owner);
                throw e;
            }
            if (!stored.jobId().equals(job.id())) { // why: another server sharing the store took the key first
                untrack(lj, owner);
                return replay(stored, requestHash);
            }
            accept(lj);
            return job;
        } finally {
            keysInFlight.remove(slot);
        }
    }

    /** Takes the owner's rate and active quota and a place in the queue, or throws Full. */
    private void reserve(String owner) {
        table.quotas.admitSubmit(owner);
        table.quotas.addActive(owner, false);
        try {
            runner.reserve();
        } catch (RuntimeException e) {
            table.quotas.endActive(owner);
            throw e;
        }
    }

    private void unreserve(String owner) {
        runner.queued.decrementAndGet();
        table.quotas.endActive(owner);
    }

    private Job replay(IdempotencyKey k, String requestHash) {
        if (!k.requestHash().equals(requestHash)) {
            throw new JobException.KeyReused("this Idempotency-Key was used before with a different request body; use a new key for a new request");
        }
        return table.get(k.jobId()).orElseThrow(() ->
                new JobException.Conflict("the job this Idempotency-Key created, " + k.jobId() + ", has been deleted"));
    }

    private JobType type(String typeName) {
        JobType type = types.get(typeName);
        if (type == null) {
            throw new JobException.UnknownType("unknown job type '" + typeName + "'; known types: " + String.join(", ", types.keySet()));
        }
        return type;
    }

    /**
     * Checks a new job (draining, type, params with defaults), takes its quotas and queue place,
     * and makes it live, ready to be stored. Throws Draining, UnknownType, InvalidParamsException or Full.
     */
    private LiveJob prepare(String typeName, JsonNode params, String owner) {
        if (draining) throw new JobException.Draining();
        JobType type = type(typeName);
        ObjectNode valid = ParamsSchema.validate(type.paramsSchema(), params);
        reserve(owner);
        return track(type, Job.queued(UUID.randomUUID().toString(), typeName, valid, owner, table.now()));
    }

    /** Makes a job live before it is stored, so that no one who learns of it from the feed finds it missing. */
    private LiveJob track(JobType type, Job job) {
        LiveJob lj = new LiveJob(type, table.snapshot(job));
        table.live.put(job.id(), lj);
        return lj;
    }

    private void untrack(LiveJob lj, String owner) {
        table.live.remove(lj.job().id(), lj);
        unreserve(owner);
    }

    private void accept(LiveJob lj) {
        runner.enqueue(lj);
        table.feedChanged();
    }

    public Optional<Job> get(String id) {
        return table.get(id);
    }

    /**
     * Cancels a job: a queued one at once, a running one when its handler stops (its thread is
     * interrupted now). Returns the job as it is after this call. Throws NotFound or Conflict.
     */
    public Job cancel(String id) {
        LiveJob lj = table.live.get(id);
        if (lj == null) throw terminalOrMissing(id, "cancelled");
        lj.lock.lock();
        try {
            Job cur = lj.job();
            if (cur.isTerminal()) throw new JobException.Conflict("job " + id + " already " + cur.state().wireName());
            if (cur.state() == JobState.QUEUED) {
                table.commit(lj, cur.ended(JobState.CANCELLED, new JobError("cancelled by request before it started", "cancelled"), table.now()));
                runner.queued.decrementAndGet();
                runner.dequeue(lj);
            } else if (!cur.cancelRequested()) {
                table.commit(lj, cur.cancelling(table.now())); // why: an accepted cancel must survive a crash
                lj.cancelRequested = true;
            }
        } finally {
            lj.lock.unlock();
        }
        Job answer = lj.job(); // why: the job as this cancel left it, before its handler can react
        table.announce(lj);
        runner.interrupt(lj);
        return answer;
    }

    /** Deletes a finished job. Throws NotFound, or Conflict while it is queued or running. */
    public void delete(String id) {
        LiveJob lj = table.live.get(id);
        if (lj != null && !lj.job().isTerminal()) {
            throw new JobException.Conflict("job " + id + " is " + lj.job().state().wireName() + "; cancel it first or wait until it ends");
        }
        Optional<Job> stored = table.store.get(id);
        if (stored.isPresent() && !stored.get().isTerminal()) {
            throw new JobException.Conflict("job " + id + " is " + stored.get().state().wireName() + "; cancel it first or wait until it ends");
        }
        if (!table.store.delete(id, table.now())) throw new JobException.NotFound(id);
        table.feedChanged();
    }

    private JobException terminalOrMissing(String id, String verb) {
        return table.store.get(id)
                .<JobException>map(j -> new JobException.Conflict("job " + id + " already " + j.state().wireName() + " and cannot be " + verb))
                .orElseGet(() -> new JobException.NotFound(id));
    }

    /** Waiting for one job or the collection. */
    public JobWatch watch() {
        return watch;
    }

    /** Convenience for embedders: the job's snapshot after its version passes {@code after}, or after {@code wait}. */
    public java.util.concurrent.CompletableFuture<Snapshot> awaitChange(String id, long after, Duration wait) {
        return watch.awaitJob(id, after, wait);
    }

    public boolean isDraining() {
        return draining;
    }

    /**
     * Drains: new jobs are refused, every waiter is answered now with the current state, running
     * jobs get {@code grace} to finish, and the rest are left to be re-queued by the next start.
     */
    public void drain(Duration grace) {
        draining = true;
        watch.releaseAll();
        runner.stop(grace);
    }

    @Override
    public void close() {
        if (!draining) drain(Duration.ZERO);
        scheduler.shutdownNow();
        waiting.close();
        timers.close();
        table.store.close();
    }
}
