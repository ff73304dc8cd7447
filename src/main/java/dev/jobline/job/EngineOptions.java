package dev.jobline.job;

import java.time.Duration;

/**
 * The engine's limits and timings.
 *
 * @param maxQueued jobs waiting to run before submits get 429
 * @param maxRunning jobs running at once
 * @param maxWaiters long-polls held at once in this process
 * @param progressFlushInterval how often a running job's progress is written to the store at most
 * @param retention how long finished jobs are kept before they are deleted
 * @param maxAttempts runs a job gets before a job interrupted that often fails for good
 */
public record EngineOptions(int maxQueued, int maxRunning, int maxWaiters, Duration progressFlushInterval,
                            Duration retention, int maxAttempts) {

    public static EngineOptions defaults() {
        return new EngineOptions(10_000, 1_000, 50_000, Duration.ofMillis(250), Duration.ofHours(24), 3);
    }
}
