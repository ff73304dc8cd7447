package dev.jobline.job;

import java.time.Duration;

/**
 * Exponential backoff with full jitter: the wait before attempt {@code n + 1} is uniform in
 * {@code [0, min(max, base * 2^(n-1))]}, so many jobs failing together do not come back together.
 */
public final class Backoff {
    private Backoff() {}

    /** The ceiling of the wait after failed attempt {@code attempt} (1 for the first). */
    public static Duration ceiling(Duration base, Duration max, int attempt) {
        int shift = Math.max(0, Math.min(attempt - 1, 40)); // why: 2^40 of any base is past any max; no overflow
        long baseMs = base.toMillis();
        long ms = baseMs > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : baseMs << shift;
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }

    /** The wait after failed attempt {@code attempt}, with {@code uniform} a number in [0, 1). */
    public static Duration fullJitter(Duration base, Duration max, int attempt, double uniform) {
        double u = Math.max(0, Math.min(1, uniform));
        long ceiling = ceiling(base, max, attempt).toMillis();
        return Duration.ofMillis(Math.min(ceiling, (long) Math.floor(u * (ceiling + 1))));
    }
}
