package dev.jobline.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.Config;
import dev.jobline.Jobline;
import dev.jobline.engine.JobEngine;
import dev.jobline.watch.JobWatch;
import dev.jobline.job.JobState;
import dev.jobline.job.JobType;
import dev.jobline.job.ParamsSchema;
import dev.jobline.store.JobFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Jobline embedded through its Java API, in a JVM of its own started by {@link ThroughputScenario}:
 * no-op jobs submitted from 64 virtual threads (jobs per second to submitted and to finished), and
 * submit-to-start of single jobs on an idle engine, timed by the handler itself. Prints
 * {@code RESULT name value} lines. Arguments: store (memory or sqlite), jobs per repetition,
 * repetitions, single jobs for submit-to-start.
 */
public final class InProcess {
    private InProcess() {}

    public static void main(String[] args) throws Exception {
        String store = args[0];
        int jobs = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int singles = Integer.parseInt(args[3]);
        int slots = Math.max(jobs, singles) + 1;
        AtomicLongArray started = new AtomicLongArray(slots);
        ObjectNode schema = ParamsSchema.emptyObject();
        ((ObjectNode) schema.get("properties")).putObject("seq").put("type", "integer").put("minimum", 0);
        JobType noop = JobType.of("noop", "records when it starts, does nothing", schema, (ctx, params) -> {
            started.set(params.get("seq").asInt(), System.nanoTime());
            return null;
        });
        Path data = Files.createTempDirectory("jobline-inprocess");
        Config config = Config.parse(new String[] {"--port", "0", "--store", store, "--data", data.toString(),
                "--max-queued", "1000000", "--max-running", "1000", "--grace", "1s"}, Map.of());
        try (Jobline jobline = Jobline.start(config, noop)) {
            JobEngine engine = jobline.engine();
            JobWatch watch = jobline.watch();
            burst(engine, watch, jobs, false); // warm-up, twice
            burst(engine, watch, jobs, false);
            singles(engine, started, Math.min(singles, 500), false);
            for (int r = 0; r < rounds; r++) {
                burst(engine, watch, jobs, true);
                singles(engine, started, singles, true);
            }
        } finally {
            try (var files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void burst(JobEngine engine, JobWatch watch, int jobs, boolean print) throws Exception {
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 64; t++) {
                pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < jobs; ) {
                        engine.submit("noop", JsonNodeFactory.instance.objectNode().put("seq", i), null);
                    }
                    return null;
                });
            }
        }
        long submitted = System.nanoTime();
        JobFilter unfinished = new JobFilter(EnumSet.of(JobState.QUEUED, JobState.RUNNING), null, null);
        long deadline = submitted + TimeUnit.SECONDS.toNanos(120);
        while (!watch.list(unfinished, 1).jobs().isEmpty() && System.nanoTime() < deadline) Thread.sleep(2);
        long finished = System.nanoTime();
        if (print) {
            System.out.println("RESULT submitted_per_s " + jobs / ((submitted - t0) / 1e9));
            System.out.println("RESULT finished_per_s " + jobs / ((finished - t0) / 1e9));
        }
    }

    private static void singles(JobEngine engine, AtomicLongArray started, int n, boolean print) throws Exception {
        List<Long> latencies = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            started.set(i, 0);
            long t0 = System.nanoTime();
            engine.submit("noop", JsonNodeFactory.instance.objectNode().put("seq", i), null);
            long deadline = t0 + TimeUnit.SECONDS.toNanos(5);
            while (started.get(i) == 0 && System.nanoTime() < deadline) Thread.onSpinWait();
            latencies.add(started.get(i) - t0);
            Thread.sleep(1); // why: one job at a time on an idle engine, not a queue
        }
        if (print) {
            double[] d = latencies.stream().mapToDouble(l -> l / 1e6).toArray();
            System.out.println("RESULT start_p50_ms " + Stats.percentile(d, 50));
            System.out.println("RESULT start_p99_ms " + Stats.percentile(d, 99));
        }
    }
}
