package dev.jobline.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/** The uploads of a {@link MemoryJobStore}, under the store's write lock so that links change with the jobs. */
final class MemoryUploads implements UploadStore {
    private record Entry(Upload upload, Instant expiresAt) {}

    private final ReentrantLock lock;
    private final Predicate<String> activeJob;
    private final Map<String, Entry> uploads = new HashMap<>(); // guarded by lock
    private final Map<String, Set<String>> jobsOf = new HashMap<>(); // upload id -> job ids; guarded by lock
    private final Map<String, List<String>> uploadsOf = new HashMap<>(); // job id -> upload ids; guarded by lock

    /** @param activeJob whether the job with this id is queued or running */
    MemoryUploads(ReentrantLock lock, Predicate<String> activeJob) {
        this.lock = lock;
        this.activeJob = activeJob;
    }

    @Override
    public void add(Upload upload, Instant expiresAt) {
        lock.lock();
        try {
            uploads.put(upload.id(), new Entry(upload, expiresAt));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Upload> find(String id) {
        lock.lock();
        try {
            Entry e = uploads.get(id);
            return e == null ? Optional.empty() : Optional.of(e.upload());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Upload> list(String owner, int limit) {
        lock.lock();
        try {
            return uploads.values().stream().map(Entry::upload).filter(u -> owner == null || owner.equals(u.owner()))
                    .sorted(Comparator.comparing(Upload::createdAt).thenComparing(Upload::id).reversed()).limit(limit).toList();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Removal remove(String id) {
        lock.lock();
        try {
            if (!uploads.containsKey(id)) return Removal.MISSING;
            Set<String> jobs = jobsOf.getOrDefault(id, Set.of());
            if (jobs.stream().anyMatch(activeJob)) return Removal.IN_USE;
            uploads.remove(id);
            for (String job : jobs) uploadsOf.computeIfPresent(job, (k, v) -> {
                List<String> rest = new ArrayList<>(v);
                rest.remove(id);
                return rest.isEmpty() ? null : rest;
            });
            jobsOf.remove(id);
            return Removal.REMOVED;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Upload> expire(Instant now, int limit) {
        lock.lock();
        try {
            List<Upload> out = new ArrayList<>();
            for (Entry e : List.copyOf(uploads.values())) {
                if (out.size() >= limit) break;
                if (e.expiresAt() != null && !e.expiresAt().isAfter(now)) {
                    uploads.remove(e.upload().id());
                    out.add(e.upload());
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** The first of {@code ids} that is not stored, or null when all are; guarded by lock. */
    String firstMissing(List<String> ids) {
        for (String id : ids) if (!uploads.containsKey(id)) return id;
        return null;
    }

    /** Records that a new job uses these uploads, which then no longer expire; guarded by lock. */
    void link(String jobId, List<String> ids) {
        if (ids.isEmpty()) return;
        uploadsOf.put(jobId, List.copyOf(ids));
        for (String id : ids) {
            jobsOf.computeIfAbsent(id, k -> new HashSet<>()).add(jobId);
            uploads.computeIfPresent(id, (k, e) -> new Entry(e.upload(), null));
        }
    }

    /** A job was deleted: an upload it was the last user of expires now; guarded by lock. */
    void release(String jobId, Instant now) {
        List<String> ids = uploadsOf.remove(jobId);
        if (ids == null) return;
        for (String id : ids) {
            Set<String> jobs = jobsOf.get(id);
            if (jobs != null) jobs.remove(jobId);
            if (jobs == null || jobs.isEmpty()) {
                jobsOf.remove(id);
                uploads.computeIfPresent(id, (k, e) -> new Entry(e.upload(), now));
            }
        }
    }
}
