package dev.jobline.engine;

import dev.jobline.job.Job;
import dev.jobline.store.ActiveJobs;
import dev.jobline.store.JobStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Keeps a batch's percent moving between its children's ends: when a child running on this node
 * reports progress, its batch is marked, and at most every progress-flush interval each marked
 * batch's percent is written again as the mean of its children's (see {@link JobStore#batchPercent}),
 * the running ones' read from the active jobs this node holds. Ends move the batch in their own
 * writes; this only fills in between them, so a report is coalesced with the others of the interval.
 */
final class BatchProgress {
    private final JobStore store;
    private final ActiveJobs active;
    private final String node;
    private final Supplier<Instant> now;
    private final Set<String> marked = ConcurrentHashMap.newKeySet();

    BatchProgress(JobStore store, ActiveJobs active, String node, Supplier<Instant> now) {
        this.store = store;
        this.active = active;
        this.node = node;
        this.now = now;
    }

    /** A committed version of a job: a running child of a batch, here, marks its batch. */
    void changed(Job j) {
        if (j.parent() != null && !j.isTerminal() && node.equals(j.node())) marked.add(j.parent());
    }

    /** Writes the percent of every marked batch. */
    void flush() {
        if (marked.isEmpty()) return;
        Set<String> batches = Set.copyOf(marked);
        marked.removeAll(batches);
        Map<String, Double> running = new HashMap<>();
        for (Job j : active.all()) {
            if (j.parent() != null && batches.contains(j.parent())) running.merge(j.parent(), j.progress().percent(), Double::sum);
        }
        for (String b : batches) store.batchPercent(b, running.getOrDefault(b, 0.0), now.get());
    }
}
