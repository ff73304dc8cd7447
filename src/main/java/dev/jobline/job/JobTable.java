package dev.jobline.job;

import dev.jobline.store.JobStore;
import dev.jobline.watch.Snapshot;
import dev.jobline.watch.WaiterSet;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The jobs of this process as clients see them: live jobs in memory (with progress newer than the
 * store may have yet), everything else from the store. Every change goes through here, so waiters
 * are woken after each commit and never miss one.
 */
final class JobTable {
    final JobStore store;
    final Clock clock;
    final Function<Job, byte[]> writer;
    final Map<String, LiveJob> live = new ConcurrentHashMap<>();
    /** Woken with the store's last seq after every write. */
    final WaiterSet<Long> feedWaiters = new WaiterSet<>();
    final QuotaCounters quotas;

    JobTable(JobStore store, Clock clock, Function<Job, byte[]> writer, QuotaCounters quotas) {
        this.store = store;
        this.clock = clock;
        this.writer = writer;
        this.quotas = quotas;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    Snapshot snapshot(Job job) {
        return new Snapshot(job, writer);
    }

    /** The newest version of a job this process knows. */
    Optional<Job> get(String id) {
        LiveJob lj = live.get(id);
        if (lj != null) return Optional.of(lj.job());
        return store.get(id);
    }

    /** A stored job, or its live version when that is newer. */
    Job freshest(Job stored) {
        LiveJob lj = live.get(stored.id());
        return lj != null && lj.job().version() > stored.version() ? lj.job() : stored;
    }

    /** Stores {@code next} as the job's new version and shows it; the caller holds {@code lj.lock}. */
    Job commit(LiveJob lj, Job next) {
        Job stored = store.update(next).orElse(next);
        lj.persistedVersion = stored.version();
        lj.set(snapshot(stored));
        return stored;
    }

    /** Wakes the job's waiters and the collection's after a commit; call without holding the job's lock. */
    void announce(LiveJob lj) {
        Snapshot s = lj.snapshot();
        lj.waiters.wakeAll(s);
        if (s.job().isTerminal() && live.remove(s.job().id(), lj)) quotas.endActive(s.job().owner());
        feedChanged();
    }

    void feedChanged() {
        feedWaiters.wakeAll(store.lastSeq());
    }
}
