package dev.jobline.watch;

import dev.jobline.job.Job;
import dev.jobline.job.JobException;
import dev.jobline.store.ChangeSet;
import dev.jobline.store.FeedListener;
import dev.jobline.store.JobStore;
import dev.jobline.store.LogPage;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Waiting for a job's log to grow, fed by the store's change feed like every other wait: the
 * commit that adds lines on any node names the job and its newest line number, and wakes the
 * job's log waiters on every node; the job's end (or deletion) wakes them too. A woken waiter
 * reads its lines from the store. Log waiters count against the same limits as job waiters.
 */
public final class LogWatch {
    /** What a log waiter hears: the newest line number, or that the job has ended. */
    private record Head(long last, boolean ended) {}

    private static final Head ENDED = new Head(0, true);
    private static final Head TIMEOUT = new Head(0, false);
    private static final int WAKE_INLINE = 64;
    private static final Executor WAKERS = Executors.newVirtualThreadPerTaskExecutor();

    private final JobStore store;
    private final JobWatch watch;
    private final Map<String, LogWaiters> byJob = new ConcurrentHashMap<>();

    LogWatch(JobStore store, JobWatch watch) {
        this.store = store;
        this.watch = watch;
    }

    private final class LogWaiters extends WaiterSet<Head> {
        final String id;

        LogWaiters(String id) {
            this.id = id;
        }

        @Override
        protected void left() {
            if (isEmpty() && retireIfEmpty()) byJob.remove(id, this);
        }
    }

    /** Wakes the log waiters of what {@code batch} changed, heard of at {@code at} ({@link System#nanoTime()}). */
    void committed(FeedListener.Batch batch, long at) {
        if (byJob.isEmpty()) return;
        batch.logs().forEach((id, last) -> wake(id, new Head(last, false), at));
        for (Job j : batch.jobs()) {
            if (j.isTerminal()) wake(j.id(), ENDED, at);
        }
        for (ChangeSet.Deleted d : batch.deleted()) wake(d.id(), ENDED, at);
    }

    private void wake(String id, Head h, long at) {
        LogWaiters set = byJob.get(id);
        if (set == null) return;
        if (set.size() > WAKE_INLINE) WAKERS.execute(() -> set.wakeAll(h, at)); // why: the store's thread must not go through thousands
        else set.wakeAll(h, at);
    }

    /**
     * Up to {@code limit} lines of the job's log after line {@code after}: at once when there are
     * some, when the job has ended or {@code wait} is zero; otherwise at the first new line, the
     * job's end, or when {@code wait} passes (with what the store holds then). Counts against
     * {@code owner}'s waiter quota; cancelling the answer (the client went away) releases the wait
     * at once. Throws NotFound, Full when a limit is reached, or Draining.
     */
    public CompletableFuture<LogPage> await(String id, long after, int limit, Duration wait, String owner) {
        return await(id, after, limit, wait, owner, null);
    }

    /** As above; within a stream's {@code slot} (counted once for the stream) when it is not null. */
    public CompletableFuture<LogPage> await(String id, long after, int limit, Duration wait, String owner, StreamSlot slot) {
        Job job = watch.find(id).orElseThrow(() -> new JobException.NotFound(id));
        LogPage now = store.readLog(id, after, limit);
        if (!now.lines().isEmpty() || job.isTerminal() || wait.isZero()) return CompletableFuture.completedFuture(now);
        if (watch.released()) throw JobWatch.draining();
        Runnable release = watch.take(owner, slot);
        Waiter<Head> w;
        try {
            do {
                w = watch.register(byJob.computeIfAbsent(id, LogWaiters::new), wait, () -> TIMEOUT,
                        h -> h.ended() || h.last() > after, slot == null);
            } while (w == null);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        Waiter<Head> waiter = w;
        waiter.answer().whenComplete((h, e) -> release.run());
        CompletableFuture<LogPage> result = waiter.answer().thenApply(h -> store.readLog(id, after, limit));
        result.whenComplete((p, e) -> {
            if (result.isCancelled()) waiter.answer().cancel(false);
        });
        Head again = head(id, after); // why: registered first, read second: lines added in between still wake it
        if (watch.released()) waiter.release(again);
        else waiter.wake(again);
        return result;
    }

    private Head head(String id, long after) {
        LogPage next = store.readLog(id, after, 1);
        if (!next.lines().isEmpty()) return new Head(next.lines().get(0).n(), false);
        Optional<Job> job = watch.find(id);
        return job.isEmpty() || job.get().isTerminal() ? ENDED : TIMEOUT;
    }

    /** Answers every log waiter now: the server is going away. */
    void releaseAll() {
        for (LogWaiters set : byJob.values()) set.releaseAll(ENDED);
    }
}
