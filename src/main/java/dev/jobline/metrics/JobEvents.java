package dev.jobline.metrics;

import dev.jobline.job.Job;
import dev.jobline.json.JsonLine;
import dev.jobline.store.ActiveJobs;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * One JSON line per job event on its own logger ({@code jobline.events}): {@code job.submitted},
 * {@code job.started} (with the attempt and the node) and {@code job.finished} (with the final
 * state and the error's type). A node logs the events it caused: on a store it owns alone,
 * every event; on a shared store, the starts and ends of the jobs it runs and the changes it
 * wrote itself, so that the nodes' logs together hold each event once. No params, result or
 * error message is written: they are the client's data.
 */
public final class JobEvents implements ActiveJobs.Moves {
    private final Logger log;
    private final String self;
    private final boolean exclusive;

    /**
     * @param self this node's id
     * @param exclusive whether this process owns the store alone
     */
    public JobEvents(Logger log, String self, boolean exclusive) {
        this.log = log;
        this.self = self;
        this.exclusive = exclusive;
    }

    @Override
    public void moved(Job before, Job after, boolean local) {
        if (!log.isInfoEnabled()) return;
        String node = JobMetrics.nodeOf(before, after);
        if (!exclusive && !local && !self.equals(node)) return;
        if (before == null) log.info(line("job.submitted", after).add("owner", after.owner()).toString());
        int attemptBefore = before == null ? 0 : before.attempt();
        if (after.startedAt() != null && after.attempt() > attemptBefore) {
            JsonLine l = line("job.started", after).add("attempt", after.attempt()).add("node", node);
            if (after.attempt() == 1) l.millis("queuedMs", nanos(after.createdAt(), after.startedAt()));
            log.info(l.toString());
        }
        if (after.isTerminal()) {
            JsonLine l = line("job.finished", after).add("state", after.state().wireName()).add("attempt", after.attempt());
            if (!node.isEmpty()) l.add("node", node);
            if (after.error() != null) l.add("error", after.error().type());
            if (after.startedAt() != null && after.finishedAt() != null) l.millis("ranMs", nanos(after.startedAt(), after.finishedAt()));
            log.info(l.toString());
        }
    }

    private static JsonLine line(String event, Job j) {
        return JsonLine.of(event).add("job", j.id()).add("type", j.type());
    }

    private static long nanos(java.time.Instant from, java.time.Instant to) {
        return Math.max(0, Duration.between(from, to).toNanos());
    }
}
