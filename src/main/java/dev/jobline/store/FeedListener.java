package dev.jobline.store;

import dev.jobline.job.Job;
import java.util.List;

/** Told of each commit to the store, in feed order. Must return quickly: it runs on the store's own thread. */
@FunctionalInterface
public interface FeedListener {

    /** One commit (or several, read together): the jobs changed (each once, latest version), the deletions, and the feed position after them. */
    record Batch(List<Job> jobs, List<ChangeSet.Deleted> deleted, long position) {}

    void committed(Batch batch);
}
