package dev.jobline.store;

import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import dev.jobline.job.Transitions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Dependencies ({@code after}) and batches of a {@link MemoryJobStore}, as {@link JdbcDependents}
 * does them for a database: checked by the insert, moved by the write that ends a job. Every
 * method runs under that store's write lock.
 */
final class MemoryDependents {
    /** A batch's counts: children, ended, ended other than succeeded, and the sum of the ended ones' percents. */
    private static final class Counts {
        final long total;
        long done, failed;
        double percentSum;

        Counts(long total) {
            this.total = total;
        }
    }

    private final Map<String, Set<String>> waitingFor = new HashMap<>(); // dependency -> jobs waiting for it
    private final Map<String, Counts> batches = new HashMap<>();
    private final Map<String, Set<String>> children = new HashMap<>(); // parent -> its children
    private final Function<String, Job> get;
    private final UnaryOperator<Job> put;
    private ArrayDeque<Job> pending;

    /**
     * @param get the stored job of an id, or null
     * @param put stores a job's next version and returns it as stored (calling {@link #ended} if it ended)
     */
    MemoryDependents(Function<String, Job> get, UnaryOperator<Job> put) {
        this.get = get;
        this.put = put;
    }

    /** The job to store, waiting for those of its {@code after} that have not succeeded; or the refusal. */
    Object admit(Job job, int index) {
        if (job.after() == null) return job;
        List<String> waiting = new ArrayList<>();
        for (String dep : job.after()) {
            Job d = get.apply(dep);
            if (d == null || !Objects.equals(d.owner(), job.owner())) return new Insert.DependencyRefused(index, dep, "no such job");
            if (d.state() == JobState.FAILED || d.state() == JobState.CANCELLED) {
                return new Insert.DependencyRefused(index, dep, "already " + d.state().wireName());
            }
            if (d.state() != JobState.SUCCEEDED) waiting.add(dep);
        }
        return job.with(b -> b.waitingFor(waiting));
    }

    /** Records whom a stored job waits for, and its batch. */
    void link(Job stored) {
        if (stored.waitingFor() != null) {
            for (String dep : stored.waitingFor()) waitingFor.computeIfAbsent(dep, k -> new LinkedHashSet<>()).add(stored.id());
        }
        if (stored.parent() != null) children.computeIfAbsent(stored.parent(), k -> new LinkedHashSet<>()).add(stored.id());
    }

    void batch(String parent, int total) {
        batches.put(parent, new Counts(total));
    }

    /** A job was removed from the store. */
    void removed(String id) {
        batches.remove(id);
        children.remove(id);
    }

    /** A job has just ended: see {@link JdbcDependents#ended}. Cascades run one after another, never down the stack. */
    void ended(Job job) {
        if (pending != null) {
            pending.add(job);
            return;
        }
        pending = new ArrayDeque<>();
        pending.add(job);
        try {
            for (Job j; (j = pending.poll()) != null; ) {
                release(j);
                if (j.parent() != null) childEnded(j);
                if (j.isBatch() && j.state() == JobState.CANCELLED) cancelChildren(j);
            }
        } finally {
            pending = null;
        }
    }

    private void release(Job dep) {
        Set<String> waiting = waitingFor.remove(dep.id());
        if (waiting == null) return;
        for (String id : waiting) {
            Job j = get.apply(id);
            if (j == null || j.state() != JobState.QUEUED || j.waitingFor() == null || !j.waitingFor().contains(dep.id())) continue;
            put.apply(dep.state() == JobState.SUCCEEDED ? Transitions.dependencySucceeded(j, dep.id(), dep.updatedAt())
                    : Transitions.dependencyEnded(j, dep.id(), dep.state(), dep.updatedAt()));
        }
    }

    private void childEnded(Job child) {
        Counts c = batches.get(child.parent());
        if (c == null) return;
        c.done++;
        if (child.state() != JobState.SUCCEEDED) c.failed++;
        c.percentSum += child.progress().percent();
        Job p = get.apply(child.parent());
        if (p == null || p.isTerminal() || !p.isBatch()) return;
        put.apply(Transitions.batchChildEnded(p, c.done, c.total, c.failed, c.percentSum, child.updatedAt()));
    }

    /** See {@link JobStore#batchPercent}. */
    java.util.Optional<Job> batchPercent(String parentId, double running, java.time.Instant now) {
        Counts c = batches.get(parentId);
        Job p = get.apply(parentId);
        if (c == null || c.total == 0 || p == null || !p.isBatch() || p.isTerminal()) return java.util.Optional.empty();
        double percent = Math.min(100, (c.percentSum + running) / c.total);
        if (Math.abs(percent - p.progress().percent()) < 0.1) return java.util.Optional.empty();
        return java.util.Optional.of(put.apply(Transitions.batchPercent(p, percent, now)));
    }

    private void cancelChildren(Job parent) {
        for (String id : List.copyOf(children.getOrDefault(parent.id(), Set.of()))) {
            Job j = get.apply(id);
            if (j == null || j.isTerminal()) continue;
            Job next = Transitions.cancel(j, parent.updatedAt());
            if (next != j) put.apply(next);
        }
    }
}
