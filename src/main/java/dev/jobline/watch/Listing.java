package dev.jobline.watch;

import dev.jobline.job.Job;
import java.util.List;

/**
 * An answer to the collection watch: jobs (newest first in a full listing, in change order
 * otherwise), the ids deleted since the cursor, the cursor to pass next, and whether the client
 * must replace what it had.
 */
public record Listing(List<Job> jobs, String cursor, List<String> deleted, boolean reset) {}
