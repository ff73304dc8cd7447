package dev.jobline.store;

import dev.jobline.job.Job;

/** What an insert did. */
public sealed interface Insert {

    /** The job is stored. */
    record Inserted(Job job) implements Insert {}

    /** The Idempotency-Key was stored before, by the request that created {@code key.jobId()}; nothing was stored. */
    record KeyTaken(IdempotencyKey key) implements Insert {}

    /** The owner's submit rate has no token now; one is there after {@code waitSeconds}. Nothing was stored. */
    record RateLimited(double waitSeconds) implements Insert {}

    /** An upload the job would use is gone (deleted or expired since it was checked); nothing was stored. */
    record UploadMissing(String uploadId) implements Insert {}

    /**
     * A job named in {@code after} cannot be waited for: it does not exist (or is another owner's),
     * or it already failed or was cancelled; {@code why} says which. Nothing was stored.
     * {@code index} is the place of the job in a batch (-1 for a single submit).
     */
    record DependencyRefused(int index, String dependency, String why) implements Insert {}
}
