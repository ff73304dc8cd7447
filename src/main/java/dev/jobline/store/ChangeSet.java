package dev.jobline.store;

import dev.jobline.job.Job;
import java.util.List;

/** What changed after a cursor: each changed job once in its latest state, the ids deleted, and the new cursor. */
public record ChangeSet(List<Job> jobs, List<String> deleted, long cursor) {

    public boolean isEmpty() {
        return jobs.isEmpty() && deleted.isEmpty();
    }
}
