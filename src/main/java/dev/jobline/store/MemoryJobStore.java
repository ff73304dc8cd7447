package dev.jobline.store;

import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import dev.jobline.job.LogLine;
import dev.jobline.job.Transitions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/** Keeps jobs in memory only: fast, and gone when the process ends. One process owns it. */
public final class MemoryJobStore implements JobStore {
    private static final int MAX_TOMBSTONES = 100_000;

    private record Tombstone(String id, String owner, Instant at) {}

    /** A job's log grew to line {@code n}: its entry in the feed. */
    private record LogHead(String id, long n) {}

    private final String feedId = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    /** Newest first by insertion: created seq -> id. */
    private final ConcurrentSkipListMap<Long, String> byCreation = new ConcurrentSkipListMap<>(Comparator.reverseOrder());
    private final Map<String, Long> createdSeq = new ConcurrentHashMap<>();
    /** Queued jobs oldest first: created seq -> id. */
    private final ConcurrentSkipListMap<Long, String> queue = new ConcurrentSkipListMap<>();
    /** seq -> Job (its latest version) or Tombstone. */
    private final ConcurrentSkipListMap<Long, Object> feed = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<Long, Tombstone> tombstones = new ConcurrentSkipListMap<>();
    private final Map<String, IdempotencyKey> keys = new ConcurrentHashMap<>();
    private final Map<String, double[]> buckets = new ConcurrentHashMap<>(); // owner -> {tokens, at millis}; guarded by writeLock
    private final Map<String, NodeInfo> nodes = new ConcurrentHashMap<>();
    private final List<FeedListener> listeners = new CopyOnWriteArrayList<>();
    private final MemoryDeliveries deliveries = new MemoryDeliveries(); // guarded by writeLock
    private long nextSeq; // guarded by writeLock
    private volatile long lastSeq;
    private volatile long forgottenBefore; // cursors below this cannot be answered exactly
    private List<Job> changed = new ArrayList<>(); // guarded by writeLock
    private List<ChangeSet.Deleted> deleted = new ArrayList<>(); // guarded by writeLock
    private Map<String, Long> logged = new LinkedHashMap<>(); // guarded by writeLock
    private final MemoryLogs logs = new MemoryLogs();
    private final MemorySchedules schedules = new MemorySchedules(); // writes guarded by writeLock
    private final MemoryDependents dependents = new MemoryDependents(jobs::get, this::put); // guarded by writeLock
    private final MemoryUploads uploads = new MemoryUploads(writeLock, id -> {
        Job j = jobs.get(id);
        return j != null && !j.isTerminal();
    });

    @Override
    public Insert insert(Job job, Admission admission) {
        writeLock.lock();
        try {
            IdempotencyKey key = admission.key();
            if (key != null) {
                IdempotencyKey existing = keys.get(key.scope() + "\n" + key.key());
                if (existing != null) return new Insert.KeyTaken(existing);
            }
            String missing = uploads.firstMissing(admission.uploads());
            if (missing != null) return new Insert.UploadMissing(missing);
            Object admitted = dependents.admit(job, -1);
            if (admitted instanceof Insert refused) return refused;
            if (admission.rate() != null) {
                double wait = Buckets.take(buckets, admission.rate());
                if (wait > 0) return new Insert.RateLimited(wait);
            }
            Job stored = add((Job) admitted);
            uploads.link(stored.id(), admission.uploads());
            if (key != null) keys.put(key.scope() + "\n" + key.key(), key);
            publish();
            return new Insert.Inserted(stored);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public ScheduleState registerSchedule(String name, Instant tick) {
        writeLock.lock();
        try {
            return schedules.register(name, tick);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Insert insertBatch(Job parent, List<Job> children, Admission admission) {
        writeLock.lock();
        try {
            IdempotencyKey key = admission.key();
            if (key != null && keys.get(key.scope() + "\n" + key.key()) instanceof IdempotencyKey existing) return new Insert.KeyTaken(existing);
            List<Job> admitted = new ArrayList<>(children.size());
            for (int i = 0; i < children.size(); i++) {
                Object a = dependents.admit(children.get(i), i);
                if (a instanceof Insert refused) return refused;
                admitted.add((Job) a);
            }
            if (admission.rate() != null) {
                double wait = Buckets.take(buckets, admission.rate());
                if (wait > 0) return new Insert.RateLimited(wait);
            }
            Job stored = add(parent);
            dependents.batch(stored.id(), children.size());
            for (Job j : admitted) add(j);
            if (key != null) keys.put(key.scope() + "\n" + key.key(), new IdempotencyKey(key.scope(), key.key(), key.requestHash(), stored.id(), key.createdAt()));
            publish();
            return new Insert.Inserted(stored);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public ScheduleRun startScheduled(String name, Instant tick, Job job, boolean skipWhileActive) {
        writeLock.lock();
        try {
            return schedules.start(name, tick, skipWhileActive, jobs::get, () -> ((Insert.Inserted) insert(job, Admission.NONE)).job());
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Optional<Job> batchPercent(String parentId, double runningPercentSum, Instant now) {
        writeLock.lock();
        try {
            Optional<Job> moved = dependents.batchPercent(parentId, runningPercentSum, now);
            publish();
            return moved;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public List<ScheduleState> schedules() {
        return schedules.all();
    }

    /** Stores a new job and its place in the listing order; guarded by writeLock. */
    private Job add(Job job) {
        Job stored = put(job);
        createdSeq.put(stored.id(), stored.seq());
        byCreation.put(stored.seq(), stored.id());
        dependents.link(stored);
        return stored;
    }

    /** Stores a version of a job at the next seq and notes it for the next publish; guarded by writeLock. */
    private Job put(Job job) {
        Job old = jobs.get(job.id());
        Job stored = job.withSeq(++nextSeq);
        jobs.put(stored.id(), stored);
        feed.put(stored.seq(), stored);
        if (old != null) feed.remove(old.seq());
        Long created = old == null ? Long.valueOf(stored.seq()) : createdSeq.get(stored.id());
        if (stored.state() == JobState.QUEUED && stored.waitingFor() == null) queue.put(created, stored.id());
        else if (created != null) queue.remove(created);
        deliveries.createIfDue(stored);
        changed.add(stored);
        if (stored.isTerminal()) dependents.ended(stored); // why: in the same write, as a database store does
        return stored;
    }

    /** Tells the listeners what the last write did; guarded by writeLock, so batches reach them in feed order. */
    private void publish() {
        lastSeq = nextSeq; // why: readers read lastSeq first, so the entries must be in the feed before it
        if (changed.isEmpty() && deleted.isEmpty() && logged.isEmpty()) return;
        FeedListener.Batch b = new FeedListener.Batch(changed, deleted, logged, nextSeq);
        changed = new ArrayList<>();
        deleted = new ArrayList<>();
        logged = new LinkedHashMap<>();
        FeedListener.tellAll(listeners, b);
    }

    @Override
    public Optional<IdempotencyKey> findKey(String scope, String key) {
        return Optional.ofNullable(keys.get(scope + "\n" + key));
    }

    @Override
    public Optional<Job> update(Job next, long expectedVersion) {
        writeLock.lock();
        try {
            Job old = jobs.get(next.id());
            if (old == null || old.version() != expectedVersion) return Optional.empty();
            Job stored = put(next);
            publish();
            return Optional.of(stored);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public List<Job> claim(String node, Collection<String> types, Map<String, Integer> queues, int max, Instant now) {
        writeLock.lock();
        try {
            List<Job> out = new ArrayList<>();
            for (Job j : MemoryClaims.ready(queue.values(), jobs, types, queues, max, now)) out.add(put(Transitions.claim(j, node, now)));
            publish();
            return out;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Optional<Instant> nextDue(Instant now) {
        return MemoryClaims.nextDue(queue.values(), jobs, now);
    }

    @Override
    public Optional<Job> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    @Override
    public List<Job> list(JobFilter filter, int limit) {
        List<Job> out = new ArrayList<>();
        for (String id : byCreation.values()) {
            Job j = jobs.get(id);
            if (j != null && filter.matches(j)) {
                out.add(j);
                if (out.size() >= limit) break;
            }
        }
        return out;
    }

    @Override
    public List<Job> active() {
        return jobs.values().stream().filter(j -> !j.isTerminal())
                .sorted(Comparator.comparingLong(j -> createdSeq.getOrDefault(j.id(), j.seq()))).toList();
    }

    @Override
    public Deletion delete(String id, Instant now) {
        writeLock.lock();
        try {
            Job j = jobs.get(id);
            if (j == null) return Deletion.MISSING;
            if (!j.isTerminal()) return Deletion.NOT_TERMINAL;
            remove(id, now);
            publish();
            return Deletion.DELETED;
        } finally {
            writeLock.unlock();
        }
    }

    private void remove(String id, Instant at) { // guarded by writeLock
        Job old = jobs.remove(id);
        if (old == null) return;
        deliveries.delete(id);
        dependents.removed(id);
        Long created = createdSeq.remove(id);
        if (created != null) {
            byCreation.remove(created);
            queue.remove(created);
        }
        long headSeq = logs.remove(id);
        if (headSeq > 0) feed.remove(headSeq);
        long seq = ++nextSeq;
        Tombstone t = new Tombstone(id, old.owner(), at);
        tombstones.put(seq, t);
        feed.put(seq, t);
        feed.remove(old.seq());
        deleted.add(new ChangeSet.Deleted(id, old.owner()));
        uploads.release(id, at);
        while (tombstones.size() > MAX_TOMBSTONES) forgetOldestTombstone();
    }

    private void forgetOldestTombstone() { // guarded by writeLock
        Map.Entry<Long, Tombstone> oldest = tombstones.pollFirstEntry();
        feed.remove(oldest.getKey());
        forgottenBefore = oldest.getKey();
    }

    @Override
    public void forgetBefore(Instant cutoff) {
        writeLock.lock();
        try {
            while (!tombstones.isEmpty() && tombstones.firstEntry().getValue().at().isBefore(cutoff)) forgetOldestTombstone();
            keys.values().removeIf(k -> k.createdAt().isBefore(cutoff));
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public List<String> deleteFinishedBefore(Instant cutoff, Instant now, int limit) {
        List<String> ids = new ArrayList<>();
        for (Job j : jobs.values()) {
            if (j.isTerminal() && j.finishedAt() != null && j.finishedAt().isBefore(cutoff)) {
                ids.add(j.id());
                if (ids.size() >= limit) break;
            }
        }
        writeLock.lock();
        try {
            ids.removeIf(id -> {
                Job j = jobs.get(id);
                if (j == null || !j.isTerminal()) return true;
                remove(id, now);
                return false;
            });
            publish();
        } finally {
            writeLock.unlock();
        }
        return ids;
    }

    @Override
    public long appendLog(String jobId, List<LogLine> lines, long skipped, int keep) {
        writeLock.lock();
        try {
            if (!jobs.containsKey(jobId)) return 0;
            long last = logs.append(jobId, lines, skipped, keep);
            long seq = ++nextSeq;
            feed.put(seq, new LogHead(jobId, last));
            long old = logs.moveHead(jobId, seq);
            if (old > 0) feed.remove(old);
            logged.put(jobId, last);
            publish();
            return last;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public LogPage readLog(String jobId, long after, int limit) {
        return logs.read(jobId, after, limit);
    }

    @Override
    public ChangeSet changesSince(long seq, int limit) {
        long upTo = lastSeq;
        if (seq > upTo || seq < forgottenBefore) return null;
        // why: a writer adds a job's new entry before removing its old one, so one pass may meet a job twice
        Map<String, Job> changedJobs = new LinkedHashMap<>();
        List<ChangeSet.Deleted> gone = new ArrayList<>();
        Map<String, Long> grown = new LinkedHashMap<>();
        long cursor = upTo;
        for (Map.Entry<Long, Object> e : feed.subMap(seq, false, upTo, true).entrySet()) {
            if (changedJobs.size() + gone.size() >= limit) {
                cursor = e.getKey() - 1;
                break;
            }
            if (e.getValue() instanceof Job j) {
                Job seen = changedJobs.get(j.id());
                if (seen == null || seen.version() < j.version()) {
                    changedJobs.remove(j.id());
                    changedJobs.put(j.id(), j);
                }
            } else if (e.getValue() instanceof LogHead h) {
                grown.merge(h.id(), h.n(), Math::max);
            } else {
                Tombstone t = (Tombstone) e.getValue();
                changedJobs.remove(t.id());
                gone.add(new ChangeSet.Deleted(t.id(), t.owner()));
            }
        }
        if (seq < forgottenBefore) return null; // why: tombstones were forgotten while we read; the answer may lack some
        return new ChangeSet(List.copyOf(changedJobs.values()), gone, grown, cursor);
    }

    @Override
    public long lastPosition() {
        return lastSeq;
    }

    @Override
    public String feedId() {
        return feedId;
    }

    @Override
    public void subscribe(FeedListener listener) {
        listeners.add(listener);
    }

    @Override
    public DeliveryClaim claimDeliveries(String node, Instant now, Instant leaseUntil, int max) {
        return locked(() -> deliveries.claim(node, now, leaseUntil, max));
    }

    @Override
    public boolean recordAttempt(Delivery delivery, String node, DeliveryAttempt attempt, Instant nextDue) {
        return locked(() -> deliveries.record(delivery, node, attempt, nextDue));
    }

    @Override
    public List<DeliveryAttempt> deliveries(String jobId) {
        return locked(() -> deliveries.list(jobId));
    }

    private <T> T locked(java.util.function.Supplier<T> work) {
        writeLock.lock();
        try {
            return work.get();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void heartbeat(NodeInfo node) {
        nodes.put(node.id(), node);
    }

    @Override
    public List<NodeInfo> nodes() {
        return nodes.values().stream().sorted(Comparator.comparing(NodeInfo::id)).toList();
    }

    @Override
    public void removeNode(String id) {
        nodes.remove(id);
    }

    @Override
    public UploadStore uploads() {
        return uploads;
    }

    @Override
    public boolean exclusive() {
        return true;
    }

    @Override
    public void close() {}
}
