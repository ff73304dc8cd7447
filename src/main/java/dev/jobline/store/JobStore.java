package dev.jobline.store;

import dev.jobline.job.Job;
import dev.jobline.job.LogLine;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where jobs live, and the work in them. Every write gives each job it changes a new position in
 * one change feed; a reader of the feed never passes a position that a later commit could still
 * fill, so a cursor over it misses nothing. Writes are durable when they return, and after each
 * commit the store tells its subscribers what committed, in feed order (on every node that shares
 * the store).
 *
 * <p>Updates are compare-and-set on the job's version: a write that lost a race changes nothing
 * and returns empty, and the caller reads the job again. Losing a race is not an error.
 */
public interface JobStore extends AutoCloseable {

    /**
     * Stores a new job, with its Idempotency-Key and a token of its owner's submit rate when
     * {@code admission} has them, in one transaction. The jobs in its {@code after} must exist and
     * be its owner's, and none may have failed or been cancelled ({@link Insert.DependencyRefused});
     * it is stored waiting ({@code waitingFor}) for those that have not succeeded yet, and cannot be
     * claimed until the write that makes the last of them succeed releases it. The write that ends
     * a job with any other state cancels the jobs waiting for it.
     */
    Insert insert(Job job, Admission admission);

    /**
     * Stores a batch in one transaction, all or nothing: its {@code parent} (a running job of type
     * {@link Job#BATCH}, whose progress counts the children) and its {@code children} (each naming
     * the parent). A child's {@code after} is checked as {@link #insert}'s is; a refusal names the
     * child's index. The admission's rate, if any, is one token for the whole batch; its
     * Idempotency-Key, if any, is stored with the batch in the same transaction (naming the parent),
     * or, when it was stored before, {@link Insert.KeyTaken} stores nothing. Returns the stored parent.
     */
    Insert insertBatch(Job parent, List<Job> children, Admission admission);

    /**
     * Moves a running batch's percent to the mean of its children's: those that ended count as
     * they ended (kept by the store), the others as {@code runningPercentSum}, the sum of their
     * last reported percents. Empty when {@code parentId} is not a running batch, or its percent
     * would move by less than a tenth of a point.
     */
    Optional<Job> batchPercent(String parentId, double runningPercentSum, Instant now);

    Optional<IdempotencyKey> findKey(String scope, String key);

    /** Stores {@code next} if the stored job is still at {@code expectedVersion}; the stored job, or empty when it was not (or is gone). */
    Optional<Job> update(Job next, long expectedVersion);

    /** Claims in the default queue only; see {@link #claim(String, Collection, Map, int, Instant)}. */
    default List<Job> claim(String node, Collection<String> types, int max, Instant now) {
        return claim(node, types, Map.of(), max, now);
    }

    /**
     * Claims up to {@code max} queued jobs of the given types that are due by {@code now} for
     * {@code node}, and returns them running there (see {@link dev.jobline.job.Transitions#claim}):
     * highest priority first, then oldest. Jobs come from the default queue and from the declared
     * {@code queues}, each of which never has more jobs running than its limit, counted over every
     * node sharing the store. Concurrent claims never get the same job.
     */
    List<Job> claim(String node, Collection<String> types, Map<String, Integer> queues, int max, Instant now);

    /** The earliest due time after {@code now} of a queued job: when the next delayed job may be claimed. */
    Optional<Instant> nextDue(Instant now);

    Optional<Job> get(String id);

    /** Newest first, at most {@code limit}. */
    List<Job> list(JobFilter filter, int limit);

    /** Queued and running jobs, oldest first. */
    List<Job> active();

    /** Deletes a terminal job, leaving a tombstone dated {@code now} in the feed. */
    Deletion delete(String id, Instant now);

    /** What a delete did. */
    enum Deletion { DELETED, NOT_TERMINAL, MISSING }

    /** Deletes terminal jobs that finished before the cutoff, at most {@code limit}; returns their ids. */
    List<String> deleteFinishedBefore(Instant cutoff, Instant now, int limit);

    /** Forgets tombstones and idempotency keys older than the cutoff; cursors from before them get a reset. */
    void forgetBefore(Instant cutoff);

    /**
     * Appends lines to a job's log, numbering them after its last (the {@code skipped} lines before
     * them were never stored, and count as dropped), and keeps only the newest {@code keep}; the
     * commit tells subscribers the job's newest line number ({@link FeedListener.Batch#logs()}).
     * Returns that number, or 0 when the job is gone (nothing is stored).
     */
    long appendLog(String jobId, List<LogLine> lines, long skipped, int keep);

    /**
     * {@link #update(Job, long)} together with the last lines of the job's log, in one write where the
     * store can: the lines are stored whether or not the update wins its compare-and-set, and a reader
     * woken by the update finds them all. This default stores the lines first, then the update.
     */
    default Optional<Job> update(Job next, long expectedVersion, LogTail tail) {
        if (tail != null) appendLog(next.id(), tail.lines(), tail.skipped(), tail.keep());
        return update(next, expectedVersion);
    }

    /** Up to {@code limit} of a job's kept log lines numbered after {@code after}, oldest first (nothing for a job without a log). */
    LogPage readLog(String jobId, long after, int limit);

    /**
     * Changes after {@code position}, at most about {@code limit} jobs and tombstones in feed order;
     * null when the position is older than the oldest tombstone kept or newer than any issued.
     */
    ChangeSet changesSince(long position, int limit);

    /** The newest position this node has told its subscribers of. */
    long lastPosition();

    /** Names the feed: a cursor from another feed (or another life of a memory store) is not valid here. */
    String feedId();

    /** Adds a subscriber, told of every commit from now on, one batch at a time in feed order. */
    void subscribe(FeedListener listener);

    /**
     * Leases to {@code node}, until {@code leaseUntil}, up to {@code max} pending callback deliveries
     * due by {@code now}, soonest first. A delivery leased to another node is skipped until that
     * lease runs out (in a store one process owns, other nodes' leases are a previous life's and
     * do not count); concurrent claims never get the same delivery. Deliveries are created by the
     * write that makes a job with a callback terminal ({@link #insert}, {@link #update}, {@link #claim})
     * and deleted with their job.
     */
    DeliveryClaim claimDeliveries(String node, Instant now, Instant leaseUntil, int max);

    /**
     * Records an attempt of a delivery {@code node} holds and its state after it; a pending one
     * comes due again at {@code nextDue}. False, recording nothing, when the node no longer held
     * the delivery (its lease ran out and another took it, or the job was deleted).
     */
    boolean recordAttempt(Delivery delivery, String node, DeliveryAttempt attempt, Instant nextDue);

    /** The attempts of the job's delivery, oldest first (see {@link DeliveryAttempt}); empty when it has none. */
    List<DeliveryAttempt> deliveries(String jobId);

    /** Records that a node is alive (and what it holds), creating its row if new. */
    void heartbeat(NodeInfo node);

    List<NodeInfo> nodes();

    void removeNode(String id);

    /**
     * Whether this process owns the store alone (an embedded file or memory): then the running
     * jobs of any other node are orphans from a previous life, not leases of live nodes.
     */
    boolean exclusive();

    /**
     * Registers schedule {@code name} as handled up to {@code tick} if the store does not know it
     * yet, and returns its state (the stored one when it was known).
     */
    ScheduleState registerSchedule(String name, Instant tick);

    /**
     * In one transaction: takes {@code tick} of schedule {@code name} if no tick at or after it was
     * handled (by any node), and stores {@code job} as its run, unless {@code skipWhileActive} and the
     * schedule's last run is still queued or running (then the tick is handled without a run). So
     * each tick starts at most one job, however many nodes try it.
     */
    ScheduleRun startScheduled(String name, Instant tick, Job job, boolean skipWhileActive);

    /** The states of the schedules the store knows, by name. */
    List<ScheduleState> schedules();

    /**
     * Times this store's commits from now on (see {@link CommitTimer}). A store that commits
     * nothing durable (memory) never calls it.
     */
    default void timeCommits(CommitTimer timer) {}

    /** The uploads kept with these jobs. */
    UploadStore uploads();

    @Override
    void close();
}
