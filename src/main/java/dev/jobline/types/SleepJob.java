package dev.jobline.types;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.job.JobContext;
import dev.jobline.job.JobFailedException;
import dev.jobline.job.JobType;
import dev.jobline.job.ParamsSchema;
import java.util.Map;

/** The built-in {@code sleep} type: advances in equal steps over a given time; the seed of every other type. */
public final class SleepJob {
    private SleepJob() {}

    public static JobType type() {
        ObjectNode schema = ParamsSchema.emptyObject();
        ObjectNode props = (ObjectNode) schema.get("properties");
        props.putObject("seconds").put("type", "number").put("minimum", 0).put("maximum", 86400).put("default", 5)
                .put("description", "how long the job runs, in seconds");
        props.putObject("steps").put("type", "integer").put("minimum", 1).put("maximum", 100000).put("default", 100)
                .put("description", "how many equal steps of progress it reports");
        props.putObject("failAt").put("type", "number").put("minimum", 0).put("maximum", 100)
                .put("description", "fail with an error when progress reaches this percent (optional)");
        return JobType.of("sleep", "Sleeps for a while, reporting progress in equal steps; for demos, tests and benchmarks.",
                schema, SleepJob::run);
    }

    static Object run(JobContext ctx, JsonNode params) throws InterruptedException {
        double seconds = params.path("seconds").asDouble();
        int steps = params.path("steps").asInt();
        Double failAt = params.hasNonNull("failAt") ? params.get("failAt").asDouble() : null;
        long start = System.nanoTime();
        long totalNanos = (long) (seconds * 1e9);
        ctx.log("sleeping " + params.get("seconds") + " s in " + steps + " steps");
        if (failAt != null && failAt <= 0) throw failure(0);
        for (int i = 1; i <= steps; i++) {
            long due = start + totalNanos / steps * i;
            long left = due - System.nanoTime();
            if (left > 0) Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            ctx.throwIfCancelled();
            ctx.progress(i, steps, "step " + i + " of " + steps);
            double percent = 100.0 * i / steps;
            if (failAt != null && percent >= failAt) throw failure(percent);
        }
        ctx.log("slept " + params.get("seconds") + " s");
        return Map.of("slept", params.get("seconds"));
    }

    private static JobFailedException failure(double percent) {
        return new JobFailedException("failed at " + Math.round(percent * 100) / 100.0 + "% as asked by failAt", "failAt");
    }
}
