package dev.jobline.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.jobline.job.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Submit-to-commit throughput of the SQLite store (synchronous=FULL), with group commit and with
 * one commit per job, from the same number of concurrent submitters. Not a test: run by hand,
 * see BENCHMARKS.md. Arguments: submitters (default 64), jobs with group commit (default 50000),
 * jobs with one commit each (default 2000).
 */
public final class GroupCommitBench {
    public static void main(String[] args) throws Exception {
        int submitters = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int grouped = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int single = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        System.out.printf("submitters=%d%n", submitters);
        for (int round = 0; round < 3; round++) {
            double g = run(submitters, grouped, 1000);
            double s = run(submitters, single, 1);
            System.out.printf("round %d: group commit %.0f jobs/s, one commit per job %.0f jobs/s, ratio %.1fx%n",
                    round + 1, g, s, g / s);
        }
    }

    private static double run(int submitters, int jobs, int maxBatch) throws Exception {
        Path dir = Files.createTempDirectory("jobline-gc");
        try (JobStore store = SqliteJobStore.open(dir, maxBatch);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            AtomicInteger left = new AtomicInteger(jobs);
            var params = JsonNodeFactory.instance.objectNode().put("seconds", 1);
            long start = System.nanoTime();
            for (int i = 0; i < submitters; i++) {
                pool.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        store.insert(Job.queued(UUID.randomUUID().toString(), "sleep", params, null, Instant.now()), Admission.NONE);
                    }
                    return null;
                });
            }
            pool.shutdown();
            pool.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES);
            return jobs / ((System.nanoTime() - start) / 1e9);
        } finally {
            try (var files = Files.list(dir)) {
                files.forEach(f -> f.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }
}
