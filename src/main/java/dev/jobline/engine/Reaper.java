package dev.jobline.engine;

import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import dev.jobline.job.JobType;
import dev.jobline.job.Transitions;
import dev.jobline.store.ActiveJobs;
import dev.jobline.store.JobStore;
import dev.jobline.store.NodeInfo;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the running jobs of nodes that are gone to the living: a node whose heartbeat is older
 * than the lease (or that left no row at all) has died, and each of its jobs is taken over as
 * {@link Transitions#takeover} says (a new attempt, or failed, or cancelled). Start-up recovery is
 * the same pass: in a store this process owns alone, every other node is a previous life of this
 * one, so its jobs are taken over at once, and queued jobs of types nobody here runs are failed.
 */
final class Reaper {
    private static final Logger log = LoggerFactory.getLogger(Reaper.class);

    private final JobStore store;
    private final ActiveJobs active;
    private final Runner runner;
    private final Map<String, JobType> types;
    private final EngineOptions options;

    Reaper(JobStore store, ActiveJobs active, Runner runner, Map<String, JobType> types, EngineOptions options) {
        this.store = store;
        this.active = active;
        this.runner = runner;
        this.types = types;
        this.options = options;
    }

    /** One pass; {@code starting} is the first pass of this node's life. Returns how many jobs it took over or ended. */
    int run(boolean starting) {
        Instant now = runner.now();
        String self = options.nodeId();
        List<NodeInfo> nodes = store.nodes();
        Set<String> alive = new HashSet<>();
        alive.add(self);
        Map<String, NodeInfo> byId = new HashMap<>();
        for (NodeInfo n : nodes) {
            byId.put(n.id(), n);
            boolean fresh = !n.heartbeatAt().isBefore(now.minus(options.lease()));
            if (fresh && !(store.exclusive() && starting)) alive.add(n.id());
        }
        int moved = 0, requeued = 0, failed = 0;
        for (Job j : List.copyOf(active.all())) {
            if (j.state() == JobState.RUNNING && !j.isBatch() && !alive.contains(j.node()) && !runner.live.containsKey(j.id())) {
                String who = j.node() == null ? "its node" : "node " + j.node();
                Job after = takeOver(j, starting && store.exclusive() ? "the server running it stopped" : who + " stopped (no heartbeat for "
                        + options.lease().toSeconds() + " s)");
                if (after != null) {
                    moved++;
                    if (after.state() == JobState.QUEUED) requeued++;
                    else failed++;
                }
            } else if (starting && store.exclusive() && j.state() == JobState.QUEUED && !types.containsKey(j.type())) {
                if (end(j, Transitions.unknownType(j, now))) failed++;
            }
        }
        for (LiveJob lj : runner.takeOrphans()) {
            try {
                if (takeOver(lj.job(), "its end could not be stored") == null && stillHere(lj)) runner.orphans.putIfAbsent(lj.id(), lj);
            } catch (RuntimeException e) { // why: dropped now, it would stay running on this live node for good
                runner.orphans.putIfAbsent(lj.id(), lj);
                log.debug("could not take over job {} whose end was not stored; trying again later: {}", lj.id(), e.getMessage());
            }
        }
        for (NodeInfo n : nodes) { // why: a node long gone whose jobs are all taken over leaves the list
            boolean long_gone = n.heartbeatAt().isBefore(now.minus(options.lease().multipliedBy(2)));
            boolean holds = active.all().stream().anyMatch(j -> n.id().equals(j.node()));
            if (!n.id().equals(self) && (long_gone || (store.exclusive() && starting)) && !holds) store.removeNode(n.id());
        }
        if (moved > 0) {
            log.info("took over {} jobs of nodes that are gone: {} queued again, {} ended", moved, requeued, failed);
            runner.wake();
        }
        return moved;
    }

    /** Takes over one job from its fresh stored version; null when it was not (it moved on, or the write lost). */
    private Job takeOver(Job seen, String why) {
        Optional<Job> fresh = store.get(seen.id());
        if (fresh.isEmpty() || fresh.get().state() != JobState.RUNNING) return null;
        Job j = fresh.get();
        if (!java.util.Objects.equals(j.node(), seen.node())) return null;
        JobType type = types.get(j.type());
        if (type == null && !store.exclusive()) {
            // why: in a shared store another node may run this type: queue it again for that node, as a restartable type would be
            type = JobType.of(j.type(), "", null, (c, p) -> null);
        }
        Job next = Transitions.takeover(j, type, options.maxAttempts(), why, runner.now());
        Optional<Job> stored = store.update(next, j.version());
        stored.ifPresent(active::offer);
        return stored.orElse(null);
    }

    /** Whether an orphan's job still runs on this node in the store (its takeover lost a race): if not, it moved on and is dropped. */
    private boolean stillHere(LiveJob lj) {
        Optional<Job> j = store.get(lj.id());
        return j.isPresent() && j.get().state() == JobState.RUNNING && java.util.Objects.equals(j.get().node(), lj.job().node());
    }

    private boolean end(Job seen, Job next) {
        Optional<Job> stored = store.update(next, seen.version());
        stored.ifPresent(active::offer);
        return stored.isPresent();
    }
}
