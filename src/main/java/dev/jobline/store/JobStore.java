package dev.jobline.store;

import dev.jobline.job.Job;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where jobs live. Every write gives the job the next position ({@code seq}) in one change feed,
 * in commit order, so a cursor over that feed misses nothing. Writes are durable when they
 * return. A write older than what is stored loses the race quietly: the stored job is returned.
 */
public interface JobStore extends AutoCloseable {

    /** Stores a new job and returns it with its seq. */
    Job insert(Job job);

    /**
     * Stores a new job together with the Idempotency-Key that created it, in one transaction. When
     * the key is already stored, stores nothing and returns the stored key (whose job id names the
     * job of the first request); otherwise returns {@code key}.
     */
    IdempotencyKey insert(Job job, IdempotencyKey key);

    Optional<IdempotencyKey> findKey(String scope, String key);

    /** Stores a newer version of a stored job and returns what is stored now. Empty when it was deleted. */
    Optional<Job> update(Job job);

    Optional<Job> get(String id);

    /** Newest first, at most {@code limit}. */
    List<Job> list(JobFilter filter, int limit);

    /** Deletes a job, leaving a tombstone dated {@code now} in the change feed. False when there was no such job. */
    boolean delete(String id, Instant now);

    /** Deletes terminal jobs that finished before the cutoff, at most {@code limit}; returns their ids. */
    List<String> deleteFinishedBefore(Instant cutoff, Instant now, int limit);

    /** Forgets tombstones and idempotency keys older than the cutoff; cursors from before them get a reset. */
    void forgetBefore(Instant cutoff);

    /**
     * Changes after {@code seq}, at most {@code limit} jobs and tombstones in feed order; null when
     * {@code seq} is older than the oldest tombstone kept or newer than any this store issued.
     */
    ChangeSet changesSince(long seq, int limit);

    /** The newest position in the change feed. */
    long lastSeq();

    /** Names this store's change feed: a cursor from another feed (or another life of a memory store) is not valid here. */
    String feedId();

    /** Queued and running jobs, oldest first: what a starting engine must pick up again. */
    List<Job> unfinished();

    @Override
    void close();
}
