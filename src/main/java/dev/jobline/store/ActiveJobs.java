package dev.jobline.store;

import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The latest committed version of every queued and running job in the store, kept from the
 * change feed (and from this node's own writes, which may reach it first): what reads of live
 * jobs, the quotas and the reaper look at without asking the store. Every node holds it for the
 * whole store, so it is bounded by the queue and running limits.
 */
public final class ActiveJobs implements FeedListener {
    /** How long an ended or deleted job's last version is remembered, so a late copy of an older one is not taken for news. */
    private static final long ENDED_MEMORY_MILLIS = 120_000;

    private record Ended(long version, long atMillis) {}

    private final Clock clock;
    private final Map<String, Job> active = new ConcurrentHashMap<>();
    private final Map<String, Ended> ended = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perOwner = new ConcurrentHashMap<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();

    public ActiveJobs(Clock clock) {
        this.clock = clock;
    }

    /** Loads the store's active jobs and subscribes to its feed. Call once, before the node works. */
    public void attach(JobStore store) {
        store.subscribe(this);
        for (Job j : store.active()) offer(j);
    }

    @Override
    public void committed(Batch batch) {
        for (Job j : batch.jobs()) offer(j);
        for (ChangeSet.Deleted d : batch.deleted()) gone(d.id());
    }

    /** Takes a committed version of a job if it is newer than the one held. */
    public void offer(Job j) {
        Ended e = ended.get(j.id());
        if (e != null && e.version() >= j.version()) return;
        active.compute(j.id(), (id, prev) -> {
            if (prev != null && prev.version() >= j.version()) return prev;
            count(prev, -1);
            if (j.isTerminal()) {
                ended.put(id, new Ended(j.version(), clock.millis()));
                return null;
            }
            count(j, +1);
            return j;
        });
    }

    private void gone(String id) {
        active.computeIfPresent(id, (k, prev) -> {
            count(prev, -1);
            return null;
        });
        ended.put(id, new Ended(Long.MAX_VALUE, clock.millis()));
    }

    private void count(Job j, int delta) {
        if (j == null) return;
        (j.state() == JobState.QUEUED ? queued : running).addAndGet(delta);
        perOwner.computeIfAbsent(j.owner() == null ? "" : j.owner(), k -> new AtomicInteger()).addAndGet(delta);
    }

    public Optional<Job> get(String id) {
        return Optional.ofNullable(active.get(id));
    }

    public Collection<Job> all() {
        return active.values();
    }

    public int queued() {
        return queued.get();
    }

    public int running() {
        return running.get();
    }

    /** Jobs of this owner (null: no owner) queued or running. */
    public int activeOf(String owner) {
        AtomicInteger n = perOwner.get(owner == null ? "" : owner);
        return n == null ? 0 : n.get();
    }

    /** Forgets ended jobs remembered longer than needed; the engine calls it now and then. */
    public void prune() {
        long cutoff = clock.millis() - ENDED_MEMORY_MILLIS;
        ended.values().removeIf(e -> e.atMillis() < cutoff);
    }
}
