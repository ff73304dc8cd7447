package dev.jobline.store;

import dev.jobline.job.Job;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;

/** Keeps jobs in memory only: fast, and gone when the process ends. */
public final class MemoryJobStore implements JobStore {
    private static final int MAX_TOMBSTONES = 100_000;

    private record Tombstone(String id, String owner, Instant at) {}

    private final String feedId = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    /** Newest first by insertion: created seq -> id. */
    private final ConcurrentSkipListMap<Long, String> byCreation = new ConcurrentSkipListMap<>(Comparator.reverseOrder());
    private final Map<String, Long> createdSeq = new ConcurrentHashMap<>();
    /** seq -> Job (its latest version) or Tombstone. */
    private final ConcurrentSkipListMap<Long, Object> feed = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<Long, Tombstone> tombstones = new ConcurrentSkipListMap<>();
    private final Map<String, IdempotencyKey> keys = new ConcurrentHashMap<>();
    private long nextSeq; // guarded by writeLock
    private volatile long lastSeq;
    private volatile long forgottenBefore; // cursors below this cannot be answered exactly

    @Override
    public Job insert(Job job) {
        writeLock.lock();
        try {
            Job stored = job.withSeq(++nextSeq);
            jobs.put(stored.id(), stored);
            createdSeq.put(stored.id(), stored.seq());
            byCreation.put(stored.seq(), stored.id());
            publish(stored.seq(), stored);
            return stored;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public IdempotencyKey insert(Job job, IdempotencyKey key) {
        writeLock.lock();
        try {
            IdempotencyKey existing = keys.get(key.scope() + "\n" + key.key());
            if (existing != null) return existing;
            insert(job);
            keys.put(key.scope() + "\n" + key.key(), key);
            return key;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Optional<IdempotencyKey> findKey(String scope, String key) {
        return Optional.ofNullable(keys.get(scope + "\n" + key));
    }

    @Override
    public Optional<Job> update(Job job) {
        writeLock.lock();
        try {
            Job old = jobs.get(job.id());
            if (old == null) return Optional.empty();
            if (old.version() >= job.version()) return Optional.of(old);
            Job stored = job.withSeq(++nextSeq);
            jobs.put(stored.id(), stored);
            publish(stored.seq(), stored);
            feed.remove(old.seq());
            return Optional.of(stored);
        } finally {
            writeLock.unlock();
        }
    }

    private void publish(long seq, Object entry) {
        feed.put(seq, entry);
        lastSeq = seq; // why: readers read lastSeq first, so the entry must be in the feed before it
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
    public boolean delete(String id, Instant now) {
        writeLock.lock();
        try {
            return remove(id, now);
        } finally {
            writeLock.unlock();
        }
    }

    private boolean remove(String id, Instant at) { // guarded by writeLock
        Job old = jobs.remove(id);
        if (old == null) return false;
        Long created = createdSeq.remove(id);
        if (created != null) byCreation.remove(created);
        long seq = ++nextSeq;
        Tombstone t = new Tombstone(id, old.owner(), at);
        tombstones.put(seq, t);
        publish(seq, t);
        feed.remove(old.seq());
        while (tombstones.size() > MAX_TOMBSTONES) forgetOldestTombstone();
        return true;
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
            ids.removeIf(id -> !remove(id, now));
        } finally {
            writeLock.unlock();
        }
        return ids;
    }

    @Override
    public ChangeSet changesSince(long seq, int limit) {
        long upTo = lastSeq;
        if (seq > upTo || seq < forgottenBefore) return null;
        // why: a writer adds a job's new entry before removing its old one, so one pass may meet a job twice
        Map<String, Job> changed = new LinkedHashMap<>();
        List<ChangeSet.Deleted> deleted = new ArrayList<>();
        long cursor = upTo;
        for (Map.Entry<Long, Object> e : feed.subMap(seq, false, upTo, true).entrySet()) {
            if (changed.size() + deleted.size() >= limit) {
                cursor = e.getKey() - 1;
                break;
            }
            if (e.getValue() instanceof Job j) {
                Job seen = changed.get(j.id());
                if (seen == null || seen.version() < j.version()) {
                    changed.remove(j.id());
                    changed.put(j.id(), j);
                }
            } else {
                Tombstone t = (Tombstone) e.getValue();
                changed.remove(t.id());
                deleted.add(new ChangeSet.Deleted(t.id(), t.owner()));
            }
        }
        if (seq < forgottenBefore) return null; // why: tombstones were forgotten while we read; the answer may lack some
        return new ChangeSet(List.copyOf(changed.values()), deleted, cursor);
    }

    @Override
    public long lastSeq() {
        return lastSeq;
    }

    @Override
    public String feedId() {
        return feedId;
    }

    @Override
    public List<Job> unfinished() {
        return jobs.values().stream().filter(j -> !j.isTerminal())
                .sorted(Comparator.comparingLong(j -> createdSeq.getOrDefault(j.id(), j.seq()))).toList();
    }

    @Override
    public void close() {}
}
