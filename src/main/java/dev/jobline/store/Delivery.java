package dev.jobline.store;

import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import java.time.Instant;

/**
 * A callback to send for a job that ended: created by the store in the same write that makes a
 * job with a callback terminal, then claimed by one node at a time until it is delivered or given
 * up. {@code attempts} counts the attempts made so far.
 */
public record Delivery(String id, String jobId, String url, String event, int attempts, Instant createdAt, Instant dueAt) {

    /** The event name of a job's end: {@code job.succeeded}, {@code job.failed} or {@code job.cancelled}. */
    public static String event(JobState terminal) {
        return "job." + terminal.wireName();
    }

    /** Whether writing {@code next} creates a delivery: a terminal job with a callback (created once per job). */
    static boolean due(Job next) {
        return next.isTerminal() && next.callback() != null;
    }

    /** The new pending delivery of a job that has just ended. */
    static Delivery of(Job ended) {
        Instant at = ended.finishedAt() != null ? ended.finishedAt() : ended.updatedAt();
        return new Delivery(java.util.UUID.randomUUID().toString(), ended.id(), ended.callback().url(), event(ended.state()), 0, at, at);
    }

    /** The states of a delivery: waiting for its next attempt, done, or given up. */
    public enum State {
        PENDING, DELIVERED, FAILED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static State fromWire(String s) {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
