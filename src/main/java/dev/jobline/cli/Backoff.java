package dev.jobline.cli;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter over a time budget: 250 ms doubling up to 5 s, each delay drawn
 * between half and all of its step, so clients that lost the same server do not return in step.
 * The budget counts from the first failure after a success.
 */
final class Backoff {
    private static final long FIRST_MILLIS = 250;
    private static final long MAX_MILLIS = 5_000;

    private final Duration budget;
    private long startNanos;
    private int attempt;

    Backoff(Duration budget) {
        this.budget = budget;
    }

    /** Called after a success: the next failure starts a new budget. */
    void reset() {
        attempt = 0;
    }

    /**
     * How long to wait before the next try, or null when the budget is spent.
     *
     * @param atLeast a delay the server asked for (Retry-After), or null
     */
    Duration next(Duration atLeast) {
        if (attempt == 0) startNanos = System.nanoTime();
        long step = Math.min(MAX_MILLIS, FIRST_MILLIS << Math.min(attempt, 10));
        attempt++;
        long delay = ThreadLocalRandom.current().nextLong(step / 2, step + 1);
        if (atLeast != null) delay = Math.max(delay, Math.min(atLeast.toMillis(), MAX_MILLIS * 2));
        long left = budget.toMillis() - (System.nanoTime() - startNanos) / 1_000_000;
        if (left <= 0) return null;
        return Duration.ofMillis(Math.min(delay, left));
    }
}
