package dev.jobline.store;

import dev.jobline.job.Job;
import java.util.List;

/** What changed after a cursor: each changed job once in its latest state, the ids deleted, and the new cursor. */
public record ChangeSet(List<Job> jobs, List<Deleted> deleted, long cursor) {

    /** A job deleted after the cursor, with its owner so that watches see only their own. */
    public record Deleted(String id, String owner) {}

    public boolean isEmpty() {
        return jobs.isEmpty() && deleted.isEmpty();
    }
}
