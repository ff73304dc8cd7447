package dev.jobline.store;

import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private final List<Moves> listeners = new CopyOnWriteArrayList<>();

    /**
     * Told of each newer version of a job this view takes, once per version, after the view holds
     * it (outside its locks): what metrics and event lines are made of. Must return quickly.
     */
    @FunctionalInterface
    public interface Moves {
        /**
         * @param before the version held until now (null: the job was not active here)
         * @param after the version taken
         * @param local true when it came from this node's own write, false from the change feed
         */
        void moved(Job before, Job after, boolean local);
    }

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
        for (Job j : batch.jobs()) take(j, false);
        for (ChangeSet.Deleted d : batch.deleted()) gone(d.id());
    }

    /** Adds a listener told of every version taken from now on. */
    public void listen(Moves l) {
        listeners.add(l);
    }

    /** Takes a committed version of a job, from this node's own write, if it is newer than the one held. */
    public void offer(Job j) {
        take(j, true);
    }

    private void take(Job j, boolean local) {
        Ended e = ended.get(j.id());
        if (e != null && e.version() >= j.version()) return;
        Job[] moved = new Job[2]; // why: listeners are told after compute, never inside the map's lock
        active.compute(j.id(), (id, prev) -> {
            if (prev != null && prev.version() >= j.version()) return prev;
            // why: checked again under the key's lock, where an end is both removed and remembered: an older version that
            // passed the check above just before another thread took the end would otherwise come back, for good
            Ended gone = ended.get(id);
            if (gone != null && gone.version() >= j.version()) return prev;
            moved[0] = prev;
            moved[1] = j;
            count(prev, -1);
            if (j.isTerminal()) {
                ended.put(id, new Ended(j.version(), clock.millis()));
                return null;
            }
            count(j, +1);
            return j;
        });
        if (moved[1] != null) {
            for (Moves l : listeners) {
                try {
                    l.moved(moved[0], moved[1], local);
                } catch (RuntimeException failed) { // why: the view already holds the version; a failing listener must not stop the feed's other listeners
                    org.slf4j.LoggerFactory.getLogger(ActiveJobs.class).error("a listener of job {}'s moves failed", j.id(), failed);
                }
            }
        }
    }

    private void gone(String id) {
        long at = clock.millis();
        active.compute(id, (k, prev) -> { // why: remembered under the key's lock, as take() checks it there
            if (prev != null) count(prev, -1);
            ended.put(k, new Ended(Long.MAX_VALUE, at));
            return null;
        });
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
