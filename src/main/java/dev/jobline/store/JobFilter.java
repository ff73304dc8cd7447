package dev.jobline.store;

import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import java.util.Set;

/** Which jobs a listing or watch wants: any of some states, one type, one owner; null means any. */
public record JobFilter(Set<JobState> states, String type, String owner) {

    public static final JobFilter ALL = new JobFilter(null, null, null);

    public boolean matches(Job job) {
        return (states == null || states.isEmpty() || states.contains(job.state()))
                && (type == null || type.equals(job.type()))
                && (owner == null || owner.equals(job.owner()));
    }
}
