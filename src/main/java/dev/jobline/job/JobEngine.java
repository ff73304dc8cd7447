package dev.jobline.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.store.JobStore;
import dev.jobline.watch.Snapshot;
import dev.jobline.watch.Waiting;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

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
    private volatile boolean draining;

    public JobEngine(JobStore store, Collection<JobType> jobTypes, EngineOptions options, Clock clock,
                     ObjectMapper mapper, Function<Job, byte[]> writer) {
        for (JobType t : jobTypes) {
            if (types.putIfAbsent(t.name(), t) != null) throw new IllegalArgumentException("two job types named " + t.name());
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jobline-scheduler");
            t.setDaemon(true);
            return t;
        });
        this.table = new JobTable(store, clock, writer);
        this.runner = new JobRunner(table, options, mapper, scheduler);
        this.waiting = new Waiting(options.maxWaiters());
        this.watch = new JobWatch(table, waiting);
    }

    /** Starts running queued jobs. */
    public void start() {
        runner.start();
    }

    public Collection<JobType> types() {
        return types.values();
    }

    /**
     * Accepts a job: validates its params against the type's schema (filling in defaults), stores
     * it, and queues it. Throws UnknownType, InvalidParamsException, Full or Draining.
     */
    public Job submit(String typeName, JsonNode params, String owner) {
        if (draining) throw new JobException.Draining();
        JobType type = types.get(typeName);
        if (type == null) {
            throw new JobException.UnknownType("unknown job type '" + typeName + "'; known types: " + String.join(", ", types.keySet()));
        }
        ObjectNode valid = ParamsSchema.validate(type.paramsSchema(), params);
        runner.reserve();
        Job stored;
        try {
            stored = table.store.insert(Job.queued(UUID.randomUUID().toString(), typeName, valid, owner, table.now()));
        } catch (RuntimeException e) {
            runner.queued.decrementAndGet();
            throw e;
        }
        LiveJob lj = new LiveJob(type, table.snapshot(stored));
        table.live.put(stored.id(), lj);
        runner.enqueue(lj);
        table.feedChanged();
        return stored;
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
        boolean announce = false;
        lj.lock.lock();
        try {
            Job cur = lj.job();
            if (cur.isTerminal()) throw new JobException.Conflict("job " + id + " already " + cur.state().wireName());
            if (cur.state() == JobState.QUEUED) {
                table.commit(lj, cur.ended(JobState.CANCELLED, new JobError("cancelled by request before it started", "cancelled"), table.now()));
                runner.queued.decrementAndGet();
                announce = true;
            } else {
                lj.cancelRequested = true;
            }
        } finally {
            lj.lock.unlock();
        }
        if (announce) table.announce(lj);
        else runner.interrupt(lj);
        return lj.job();
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
        if (!table.store.delete(id)) throw new JobException.NotFound(id);
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
        table.store.close();
    }
}
