package dev.jobline.store;

import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The memory store's claim rule, the same as {@link ClaimSql}'s: due jobs of known types in the
 * default queue and in declared queues with room, highest priority first, then oldest. The memory
 * store is for tests and short-lived embedding, so this reads every queued job; the SQL stores use
 * indexes instead. Called under the store's write lock.
 */
final class MemoryClaims {
    private MemoryClaims() {}

    /** {@code queuedIds}: the queued jobs' ids, oldest first. */
    static List<Job> ready(Collection<String> queuedIds, Map<String, Job> jobs, Collection<String> types, Map<String, Integer> queues,
                           int max, Instant now) {
        if (max <= 0) return List.of();
        Map<String, Integer> room = new HashMap<>();
        for (Map.Entry<String, Integer> q : queues.entrySet()) room.put(q.getKey(), q.getValue());
        for (Job j : jobs.values()) {
            if (j.state() == JobState.RUNNING && j.queue() != null) room.computeIfPresent(j.queue(), (k, v) -> v - 1);
        }
        List<Job> candidates = new ArrayList<>();
        for (String id : queuedIds) {
            Job j = jobs.get(id);
            if (j == null || j.state() != JobState.QUEUED || !j.dueBy(now) || !types.contains(j.type())) continue;
            if (j.queue() != null && !room.containsKey(j.queue())) continue;
            candidates.add(j);
        }
        // why: a stable sort of the oldest-first list keeps creation order within a priority
        candidates.sort(Comparator.comparingInt((Job j) -> j.priority() == null ? 0 : j.priority()).reversed());
        List<Job> out = new ArrayList<>();
        for (Job j : candidates) {
            if (out.size() >= max) break;
            if (j.queue() != null) {
                int left = room.get(j.queue());
                if (left <= 0) continue;
                room.put(j.queue(), left - 1);
            }
            out.add(j);
        }
        return out;
    }

    static Optional<Instant> nextDue(Collection<String> queuedIds, Map<String, Job> jobs, Instant now) {
        Instant next = null;
        for (String id : queuedIds) {
            Job j = jobs.get(id);
            if (j == null || j.state() != JobState.QUEUED || j.runAt() == null || !j.runAt().isAfter(now)) continue;
            if (next == null || j.runAt().isBefore(next)) next = j.runAt();
        }
        return Optional.ofNullable(next);
    }
}
