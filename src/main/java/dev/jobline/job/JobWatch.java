package dev.jobline.job;

import dev.jobline.store.ChangeSet;
import dev.jobline.store.JobFilter;
import dev.jobline.watch.Cursor;
import dev.jobline.watch.Listing;
import dev.jobline.watch.Snapshot;
import dev.jobline.watch.Waiter;
import dev.jobline.watch.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Waiting for change. A waiter is registered on one job (or on the collection) and removes itself
 * when answered; it holds no thread while it waits. Every waiter registers first and checks the
 * state second, so a change between the two still wakes it.
 */
public final class JobWatch {
    private final JobTable table;
    private final Waiting waiting;
    private final Quotas quotas;
    private volatile boolean released;

    JobWatch(JobTable table, Waiting waiting, Quotas quotas) {
        this.table = table;
        this.waiting = waiting;
        this.quotas = quotas;
    }

    /**
     * The job once its version is greater than {@code after} or it is terminal, or as it is when
     * {@code wait} passes. Throws NotFound, or Full when the process holds its most waiters.
     */
    public CompletableFuture<Snapshot> awaitJob(String id, long after, Duration wait) {
        return awaitJob(id, after, wait, null);
    }

    /** As {@link #awaitJob(String, long, Duration)}, counting the wait against {@code owner}'s quota. */
    public CompletableFuture<Snapshot> awaitJob(String id, long after, Duration wait, String owner) {
        LiveJob lj = table.live.get(id);
        if (lj == null) {
            Job stored = table.store.get(id).orElseThrow(() -> new JobException.NotFound(id));
            return CompletableFuture.completedFuture(table.snapshot(stored));
        }
        Snapshot now = lj.snapshot();
        if (ready(now, after) || wait.isZero()) return CompletableFuture.completedFuture(now);
        if (released) throw draining();
        Runnable release = quotas.addWaiter(owner);
        Waiter<Snapshot> w;
        try {
            w = register(lj, wait, after);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        w.answer().whenComplete((a, e) -> release.run());
        Snapshot again = lj.snapshot();
        if (released) w.release(again);
        else w.wake(again);
        return w.answer();
    }

    private Waiter<Snapshot> register(LiveJob lj, Duration wait, long after) {
        try {
            return waiting.register(lj.waiters, wait, lj::snapshot, s -> ready(s, after));
        } catch (Waiting.TooManyWaitersException e) {
            throw new JobException.Full(e.getMessage(), 1);
        }
    }

    private static boolean ready(Snapshot s, long after) {
        return s.job().version() > after || s.job().isTerminal();
    }

    /** The newest jobs that match, and the cursor to watch from. */
    public Listing list(JobFilter filter, int limit) {
        long seq = table.store.lastSeq(); // why: read before listing, so a change during it is delivered again, not lost
        List<Job> jobs = table.store.list(filter, limit).stream().map(table::freshest).toList();
        return new Listing(jobs, new Cursor(table.store.feedId(), seq).toString(), List.of(), false);
    }

    /**
     * Jobs that changed after {@code cursor} and match, and ids deleted since; if none, waits up to
     * {@code wait} for some. A cursor this store did not issue, or one too old, gets a full
     * listing with {@code reset}.
     */
    public CompletableFuture<Listing> awaitChanges(Cursor cursor, JobFilter filter, int limit, Duration wait) {
        return awaitChanges(cursor, filter, limit, wait, filter.owner());
    }

    /** As {@link #awaitChanges(Cursor, JobFilter, int, Duration)}, counting the wait against {@code owner}'s quota. */
    public CompletableFuture<Listing> awaitChanges(Cursor cursor, JobFilter filter, int limit, Duration wait, String owner) {
        long deadline = System.nanoTime() + wait.toNanos();
        long seq = cursor.feedId().equals(table.store.feedId()) ? cursor.seq() : -1;
        CompletableFuture<Listing> first = next(seq, filter, limit, System.nanoTime()); // why: answers at once if anything changed
        if (first.join().reset() || !first.join().jobs().isEmpty() || !first.join().deleted().isEmpty() || wait.isZero()) {
            return first;
        }
        if (released) throw draining();
        Runnable release = quotas.addWaiter(owner);
        try {
            CompletableFuture<Listing> answer = next(seq, filter, limit, deadline);
            answer.whenComplete((a, e) -> release.run());
            return answer;
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    private CompletableFuture<Listing> next(long seq, JobFilter filter, int limit, long deadline) {
        ChangeSet changes = seq < 0 ? null : table.store.changesSince(seq, limit);
        if (changes == null) {
            Listing full = list(filter, limit);
            return CompletableFuture.completedFuture(new Listing(full.jobs(), full.cursor(), List.of(), true));
        }
        List<Job> matching = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        for (Job changed : changes.jobs()) {
            Job j = table.freshest(changed);
            if (filter.matches(j)) matching.add(j);
            // why: as a Kubernetes watch does, a job that changed out of the state filter leaves the client's view
            else if (filter.mayHaveLeft(j)) deleted.add(j.id());
        }
        for (ChangeSet.Deleted d : changes.deleted()) {
            if (filter.owner() == null || filter.owner().equals(d.owner())) deleted.add(d.id());
        }
        long left = deadline - System.nanoTime();
        if (!matching.isEmpty() || !deleted.isEmpty() || left <= 0 || released) {
            return CompletableFuture.completedFuture(new Listing(matching, cursorAt(changes.cursor()), deleted, false));
        }
        long from = changes.cursor();
        Waiter<Long> w;
        try {
            w = waiting.register(table.feedWaiters, Duration.ofNanos(left), table.store::lastSeq, last -> last > from);
        } catch (Waiting.TooManyWaitersException e) {
            throw new JobException.Full(e.getMessage(), 1);
        }
        if (released) w.release(table.store.lastSeq());
        else w.wake(table.store.lastSeq());
        boolean filtered = filter.states() != null || filter.type() != null || filter.owner() != null;
        // why: a filtered watch woken by others' changes looks again after a pause, not at every write
        return filtered
                ? w.answer().thenComposeAsync(ignored -> next(from, filter, limit, deadline), RECHECK_DELAY)
                : w.answer().thenCompose(ignored -> next(from, filter, limit, deadline));
    }

    private static final java.util.concurrent.Executor RECHECK_DELAY = CompletableFuture.delayedExecutor(
            20, java.util.concurrent.TimeUnit.MILLISECONDS, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());

    private static JobException.Draining draining() {
        return new JobException.Draining("the server is shutting down; wait elsewhere or retry after it restarts");
    }

    private String cursorAt(long seq) {
        return new Cursor(table.store.feedId(), seq).toString();
    }

    /** Answers every waiter now and every later one at once: the server is going away. */
    void releaseAll() {
        released = true;
        for (LiveJob lj : table.live.values()) lj.waiters.releaseAll(lj.snapshot());
        table.feedWaiters.releaseAll(table.store.lastSeq());
    }

    public int waiting() {
        return waiting.waiting();
    }
}
