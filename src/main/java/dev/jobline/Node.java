package dev.jobline;

import dev.jobline.engine.EngineOptions;
import dev.jobline.engine.JobEngine;
import dev.jobline.engine.Quotas;
import dev.jobline.job.JobType;
import dev.jobline.json.Json;
import dev.jobline.store.ActiveJobs;
import dev.jobline.store.JobStore;
import dev.jobline.time.Timers;
import dev.jobline.watch.JobWatch;
import java.util.Collection;

/**
 * One node's parts, wired by hand: the store, the view of its active jobs kept from its feed,
 * the engine that runs jobs and the watch that answers waiters. {@link Jobline} puts HTTP in
 * front of it; tests and embedders may use it alone.
 */
public record Node(JobStore store, ActiveJobs active, JobEngine engine, JobWatch watch) implements AutoCloseable {

    /** Wires the parts over {@code store} (which the node then owns) and starts the engine. */
    public static Node start(JobStore store, Collection<JobType> types, EngineOptions options, Quotas quotas, Timers timers) {
        ActiveJobs active = new ActiveJobs(timers.clock());
        active.attach(store);
        JobEngine engine = new JobEngine(store, active, types, options, quotas, timers, Json.MAPPER);
        JobWatch watch = new JobWatch(store, active, options.maxWaiters(), quotas.maxWaiters(), engine::waitersElsewhere,
                timers, Json::job);
        engine.reportWaiters(watch::waitersByOwner);
        engine.start();
        return new Node(store, active, engine, watch);
    }

    /** Drains for {@code grace}: waiters are answered at once, then running jobs get the grace to finish. */
    public void drain(java.time.Duration grace) {
        watch.releaseAll();
        engine.drain(grace);
    }

    @Override
    public void close() {
        watch.close();
        engine.close();
    }
}
