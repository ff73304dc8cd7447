package dev.jobline.store;

import dev.jobline.job.Job;
import java.time.Instant;
import java.util.List;

/**
 * What one claim cycle learns from the store: the jobs it claimed, and when the next delayed job
 * comes due ({@code nextDue}, read in the same transaction as of the claim's time; null when none
 * is waiting, or when the claim took as many jobs as it asked for and the claimer claims again at once).
 */
public record Claimed(List<Job> jobs, Instant nextDue) {
    public Claimed {
        jobs = List.copyOf(jobs);
    }
}
