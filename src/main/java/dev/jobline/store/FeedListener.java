package dev.jobline.store;

import dev.jobline.job.Job;
import java.util.List;
import java.util.Map;

/** Told of each commit to the store, in feed order. Must return quickly: it runs on the store's own thread. */
@FunctionalInterface
public interface FeedListener {

    /**
     * One commit (or several, read together): the jobs changed (each once, latest version), the
     * deletions, the jobs whose logs grew (id to newest line number), and the feed position after them.
     */
    record Batch(List<Job> jobs, List<ChangeSet.Deleted> deleted, Map<String, Long> logs, long position) {
        public Batch(List<Job> jobs, List<ChangeSet.Deleted> deleted, long position) {
            this(jobs, deleted, Map.of(), position);
        }
    }

    void committed(Batch batch);

    /**
     * Tells every listener of {@code batch}, each in turn: one that throws is logged and the others
     * are told all the same, since a batch a listener misses is never offered again.
     */
    static void tellAll(Iterable<FeedListener> listeners, Batch batch) {
        for (FeedListener l : listeners) {
            try {
                l.committed(batch);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(FeedListener.class).error("a listener of the store's feed failed at position {}; the others "
                        + "are told all the same", batch.position(), e);
            }
        }
    }
}
