package dev.jobline.store;

import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import java.util.Set;

/** Which jobs a listing or watch wants: any of some states, one type, one owner, the children of one batch; null means any. */
public record JobFilter(Set<JobState> states, String type, String owner, String parent) {

    public static final JobFilter ALL = new JobFilter(null, null, null);

    public JobFilter(Set<JobState> states, String type, String owner) {
        this(states, type, owner, null);
    }

    /**
     * Whether a job that does not match now may have matched before, so that a watch which showed
     * it must be told it left: it matches but for its state, and one of the filter's states can
     * come before its state (queued before running, either before an end, running before a
     * queued job that was re-queued after a crash).
     */
    public boolean mayHaveLeft(Job job) {
        if (states == null || states.isEmpty() || matches(job)) return false;
        if ((type != null && !type.equals(job.type())) || (owner != null && !owner.equals(job.owner()))
                || (parent != null && !parent.equals(job.parent()))) return false;
        return switch (job.state()) {
            case QUEUED -> states.contains(JobState.RUNNING) && job.attempt() > 0;
            case RUNNING -> states.contains(JobState.QUEUED);
            default -> states.contains(JobState.QUEUED) || (states.contains(JobState.RUNNING) && job.startedAt() != null);
        };
    }

    public boolean matches(Job job) {
        return (states == null || states.isEmpty() || states.contains(job.state()))
                && (type == null || type.equals(job.type()))
                && (owner == null || owner.equals(job.owner()))
                && (parent == null || parent.equals(job.parent()));
    }
}
