package dev.jobline.metrics;

import dev.jobline.job.Job;
import dev.jobline.store.ActiveJobs;
import dev.jobline.store.JobStore;
import dev.jobline.watch.JobWatch;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * A node's metrics in the Prometheus text format. Everything is counted where it happens through
 * small hooks (a job's versions from {@link ActiveJobs}, wakes from {@link JobWatch}, commits
 * from the {@link JobStore}), with atomic adds and no lock of the hot paths; a scrape reads the
 * counters, the waiter count and the active jobs this node already holds in memory, and asks the
 * store nothing. The JVM's own series (memory, GC, threads, CPU) come with the client library.
 */
public final class Metrics {
    /** What {@link #scrape()} answers: the Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final double[] FAST_SECONDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    private Metrics() {}

    /**
     * The JVM's series, one registry for the process. why: the client library remembers every
     * registry it registered them in for good, so one per server would keep each closed server
     * (and, through its callbacks, its node) in memory; the JVM is the same for all anyway.
     */
    private static final class Jvm {
        static final PrometheusRegistry REGISTRY = new PrometheusRegistry();

        static {
            JvmMetrics.builder().register(REGISTRY);
        }
    }

    /**
     * Starts counting this node's jobs, waiters and commits.
     *
     * @param types the job types this node runs: each shows queued and running (here) at 0 when it has no such job
     * @param self this node's id
     */
    public static Metrics watch(ActiveJobs active, JobWatch watch, JobStore store, Collection<String> types, String self) {
        Metrics m = new Metrics();
        PrometheusRegistry r = m.registry;
        GaugeWithCallback.builder().name("jobline_jobs")
                .help("Queued and running jobs in the store, by type, state and the node running them (none while queued)")
                .labelNames("type", "state", "node").callback(cb -> byState(active.all(), types, self).forEach((k, n) -> cb.call(n, k.type, k.state, k.node)))
                .register(r);
        GaugeWithCallback.builder().name("jobline_waiters")
                .help("Requests held in this process waiting for a change: long-polls of jobs, logs and the collection, and streams")
                .callback(cb -> cb.call(watch.waiting())).register(r);
        Histogram wake = Histogram.builder().name("jobline_wake_seconds").unit(Unit.SECONDS)
                .help("Time from this node hearing of a commit to a waiter's answer handed to its request")
                .classicOnly().classicUpperBounds(FAST_SECONDS).register(r);
        watch.timeWakes(nanos -> wake.observe(nanos / 1e9));
        Histogram commit = Histogram.builder().name("jobline_store_commit_seconds").unit(Unit.SECONDS)
                .help("Time of the store's write transactions, from their first statement to the end of their durable commit")
                .classicOnly().classicUpperBounds(FAST_SECONDS).register(r);
        Counter writes = Counter.builder().name("jobline_store_writes").help("Writes committed, several to a transaction when they arrive together")
                .register(r);
        store.timeCommits((n, nanos) -> {
            commit.observe(nanos / 1e9);
            writes.inc(n);
        });
        active.listen(new JobMetrics(r));
        return m;
    }

    private record Key(String type, String state, String node) {}

    private static Map<Key, Integer> byState(Collection<Job> jobs, Collection<String> types, String self) {
        Map<Key, Integer> out = new HashMap<>();
        for (String t : types) { // why: a series that exists at 0 draws as 0 on a dashboard, not as a gap
            out.put(new Key(t, "queued", ""), 0);
            out.put(new Key(t, "running", self), 0);
        }
        for (Job j : jobs) out.merge(new Key(j.type(), j.state().wireName(), j.node() == null ? "" : j.node()), 1, Integer::sum);
        return out;
    }

    /** The text of every series now. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try {
            MetricSnapshots.Builder all = MetricSnapshots.builder();
            for (MetricSnapshot s : registry.scrape()) all.metricSnapshot(s);
            for (MetricSnapshot s : Jvm.REGISTRY.scrape()) all.metricSnapshot(s);
            writer.write(out, all.build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
