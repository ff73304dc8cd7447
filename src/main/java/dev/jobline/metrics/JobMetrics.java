package dev.jobline.metrics;

import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import dev.jobline.store.ActiveJobs;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.time.Instant;

/**
 * Counts jobs as they move, from the versions the node's {@link ActiveJobs} view takes: whatever
 * node wrote a change, every node sees it in the change feed, so each node's series describe the
 * whole store (the {@code node} label names the node that ran a job). A job counts once when it
 * first shows (submitted), once per attempt that starts, and once when it ends; counting is a
 * few atomic adds on the thread that took the version, never a store query.
 */
final class JobMetrics implements ActiveJobs.Moves {
    private static final double[] RUN_SECONDS = {0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600, 7200, 21600, 86400};
    private static final double[] WAIT_SECONDS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400};

    private final Counter submitted;
    private final Counter started;
    private final Counter finished;
    private final Histogram runTime;
    private final Histogram queueWait;

    JobMetrics(PrometheusRegistry registry) {
        submitted = Counter.builder().name("jobline_jobs_submitted").help("Jobs submitted, by type")
                .labelNames("type").register(registry);
        started = Counter.builder().name("jobline_jobs_started").help("Attempts of jobs started, by type and the node that runs them")
                .labelNames("type", "node").register(registry);
        finished = Counter.builder().name("jobline_jobs_finished").help("Jobs ended, by type, final state and the node that ran them")
                .labelNames("type", "state", "node").register(registry);
        runTime = Histogram.builder().name("jobline_job_run_seconds").unit(Unit.SECONDS)
                .help("Run time of jobs' last attempts, from start to end, by type and final state")
                .labelNames("type", "state").classicOnly().classicUpperBounds(RUN_SECONDS).register(registry);
        queueWait = Histogram.builder().name("jobline_job_queue_wait_seconds").unit(Unit.SECONDS)
                .help("Time jobs waited queued before an attempt started, by type")
                .labelNames("type").classicOnly().classicUpperBounds(WAIT_SECONDS).register(registry);
    }

    @Override
    public void moved(Job before, Job after, boolean local) {
        if (before == null) submitted.labelValues(after.type()).inc();
        int attemptBefore = before == null ? 0 : before.attempt();
        if (after.startedAt() != null && after.attempt() > attemptBefore) {
            started.labelValues(after.type(), nodeOf(before, after)).inc();
            Instant queuedAt = before != null && before.state() == JobState.QUEUED ? before.updatedAt()
                    : before == null && after.attempt() == 1 ? after.createdAt() : null;
            if (queuedAt != null) queueWait.labelValues(after.type()).observe(seconds(queuedAt, after.startedAt()));
        }
        if (after.isTerminal()) {
            finished.labelValues(after.type(), after.state().wireName(), nodeOf(before, after)).inc();
            if (after.startedAt() != null && after.finishedAt() != null) {
                runTime.labelValues(after.type(), after.state().wireName()).observe(seconds(after.startedAt(), after.finishedAt()));
            }
        }
    }

    /** The node that runs (or ran) the job: a terminal version no longer names it, its last running one does. */
    static String nodeOf(Job before, Job after) {
        if (after.node() != null) return after.node();
        return before != null && before.node() != null ? before.node() : "";
    }

    private static double seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toNanos() / 1e9);
    }
}
