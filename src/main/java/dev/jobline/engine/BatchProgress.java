package dev.jobline.engine;

import dev.jobline.job.Job;
import dev.jobline.store.ActiveJobs;
import dev.jobline.store.JobStore;
import dev.jobline.time.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Keeps a batch's percent moving between its children's ends: when a child running on this node
 * reports progress, its batch is marked, and at most every progress-flush interval each marked
 * batch's percent is written again as the mean of its children's (see {@link JobStore#batchPercent}),
 * the running ones' read from the active jobs this node holds. Ends move the batch in their own
 * writes; this only fills in between them, so a report is coalesced with the others of the interval.
 * Nothing is scheduled while no batch is marked, so an idle node spends nothing on it.
 */
final class BatchProgress {
    private final JobStore store;
    private final ActiveJobs active;
    private final String node;
    private final Supplier<Instant> now;
    private final Timers timers;
    private final Duration every;
    private final Set<String> marked = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    BatchProgress(JobStore store, ActiveJobs active, String node, Supplier<Instant> now, Timers timers, Duration every) {
        this.store = store;
        this.active = active;
        this.node = node;
        this.now = now;
        this.timers = timers;
        this.every = every;
    }

    /** A committed version of a job: a running child of a batch, here, marks its batch and schedules a flush if none is. */
    void changed(Job j) {
        if (j.parent() == null || j.isTerminal() || !node.equals(j.node())) return;
        marked.add(j.parent());
        if (!scheduled.compareAndSet(false, true)) return;
        try {
            timers.after(every, () -> Thread.ofVirtual().name("jobline-batch-progress").start(this::flushLogged));
        } catch (RuntimeException e) { // why: the timers are closed (the node stops); this runs on the store's feed, which must go on
            scheduled.set(false);
        }
    }

    private void flushLogged() {
        try {
            flush();
        } catch (RuntimeException e) { // why: the next report schedules another; a batch's end is written by its jobs' ends anyway
            org.slf4j.LoggerFactory.getLogger(BatchProgress.class).debug("could not write a batch's percent: {}", e.getMessage());
        }
    }

    /** Writes the percent of every marked batch. */
    void flush() {
        scheduled.set(false); // why: before taking the marks, so a report arriving meanwhile schedules the next flush
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
