package dev.jobline.store;

import dev.jobline.job.Job;
import java.util.List;
import java.util.Map;

/**
 * What changed after a cursor: each changed job once in its latest state, the ids deleted, the
 * jobs whose logs grew (id to newest line number), and the new cursor.
 */
public record ChangeSet(List<Job> jobs, List<Deleted> deleted, Map<String, Long> logs, long cursor) {

    public ChangeSet(List<Job> jobs, List<Deleted> deleted, long cursor) {
        this(jobs, deleted, Map.of(), cursor);
    }

    /** A job deleted after the cursor, with its owner so that watches see only their own. */
    public record Deleted(String id, String owner) {}

    public boolean isEmpty() {
        return jobs.isEmpty() && deleted.isEmpty();
    }
}
