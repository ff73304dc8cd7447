package dev.jobline.job;

import java.time.Duration;
import java.time.Instant;

/**
 * When, in what order and how a submitted job runs; each part null when not set.
 *
 * @param runAt not claimed before this time
 * @param priority -100 to 100; among ready jobs of one queue, higher first
 * @param queue a declared queue's name (null: the default queue)
 * @param timeout the longest one attempt may run before it is interrupted and fails as {@code timeout}
 * @param retry how often a failed attempt runs again (null: the type's default, or no retry)
 */
public record RunOptions(Instant runAt, Integer priority, String queue, Duration timeout, RetryPolicy retry) {
    public static final RunOptions NONE = new RunOptions(null, null, null, null, null);
    public static final int MIN_PRIORITY = -100;
    public static final int MAX_PRIORITY = 100;
    /** The queue a job without one runs in, bounded by each node's --max-running. */
    public static final String DEFAULT_QUEUE = "default";

    /** A new queued job with these options; {@code typeDefault} is its type's retry, used when none is given. */
    public Job applyTo(Job job, RetryPolicy typeDefault) {
        RetryPolicy r = retry != null ? retry : typeDefault;
        return job.with(b -> b.runAt(runAt).priority(priority).queue(queue).timeout(timeout).retry(r));
    }

    /** A duration the way clients write it: the largest unit that divides it ({@code 90s}, {@code 10m}, {@code 250ms}). */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) return "0s";
        if (ms % 86_400_000L == 0) return ms / 86_400_000L + "d";
        if (ms % 3_600_000L == 0) return ms / 3_600_000L + "h";
        if (ms % 60_000L == 0) return ms / 60_000L + "m";
        if (ms % 1000 == 0) return ms / 1000 + "s";
        return ms + "ms";
    }
}
