package dev.jobline.engine;

/**
 * Limits per owner: jobs queued or running at once, submissions per second (a token bucket
 * holding up to twice the rate), and long-polls waiting at once. A null limit is no limit.
 * Jobs without an owner count under the empty owner.
 */
public record Quotas(Integer maxActive, Integer submitsPerSecond, Integer maxWaiters) {

    public static Quotas none() {
        return new Quotas(null, null, null);
    }
}
