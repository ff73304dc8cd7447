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
    private final QuotaCounters quotas;
    private volatile boolean released;

    JobWatch(JobTable table, Waiting waiting, QuotaCounters quotas) {
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

    /**
     * As {@link #awaitChanges(Cursor, JobFilter, int, Duration)}, counting the wait against
     * {@code owner}'s quota. Cancelling the answer (the client went away) releases the wait at once.
     */
    public CompletableFuture<Listing> awaitChanges(Cursor cursor, JobFilter filter, int limit, Duration wait, String owner) {
        long deadline = table.clock.millis() + wait.toMillis();
        long seq = cursor.feedId().equals(table.store.feedId()) ? cursor.seq() : -1;
        Step first = step(seq, filter, limit, true); // why: answers at once if anything changed
        if (first.answer() != null && (first.answer().reset() || !first.answer().jobs().isEmpty()
                || !first.answer().deleted().isEmpty() || wait.isZero())) {
            return CompletableFuture.completedFuture(first.answer());
        }
        if (released) throw draining();
        Runnable release = quotas.addWaiter(owner);
        try {
            ChangeWait w = new ChangeWait(filter, limit, deadline);
            w.result.whenComplete((a, e) -> release.run());
            w.waitFrom(first.from());
            return w.result;
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /** What the feed holds after {@code seq} for a filter: an answer, or null and the position to wait from. */
    private record Step(Listing answer, long from) {}

    /** Reads the changes after {@code seq}; {@code always} answers even when nothing matched. */
    private Step step(long seq, JobFilter filter, int limit, boolean always) {
        ChangeSet changes = seq < 0 ? null : table.store.changesSince(seq, limit);
        if (changes == null) {
            Listing full = list(filter, limit);
            return new Step(new Listing(full.jobs(), full.cursor(), List.of(), true), -1);
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
        boolean any = !matching.isEmpty() || !deleted.isEmpty();
        Listing answer = new Listing(matching, cursorAt(changes.cursor()), deleted, false);
        return new Step(any || always ? answer : null, changes.cursor());
    }

    /**
     * One collection long-poll: waits on the feed for a change after its position that matches its
     * filter, or until its deadline. At most one feed waiter at a time, which a cancel releases.
     */
    private final class ChangeWait {
        final CompletableFuture<Listing> result = new CompletableFuture<>();
        private final JobFilter filter;
        private final int limit;
        private final long deadline;
        private volatile Waiter<Long> current;

        ChangeWait(JobFilter filter, int limit, long deadline) {
            this.filter = filter;
            this.limit = limit;
            this.deadline = deadline;
            result.whenComplete((a, e) -> {
                Waiter<Long> w = current;
                if (result.isCancelled() && w != null) w.answer().cancel(false);
            });
        }

        void waitFrom(long from) {
            if (result.isDone()) return;
            long left = deadline - table.clock.millis();
            if (left <= 0 || released) {
                finish(from);
                return;
            }
            Waiter<Long> w;
            try {
                w = waiting.register(table.feedWaiters, Duration.ofMillis(left), table.store::lastSeq, last -> last > from);
            } catch (Waiting.TooManyWaitersException e) {
                throw new JobException.Full(e.getMessage(), 1);
            }
            current = w;
            if (result.isDone()) { // why: cancelled while we registered
                w.answer().cancel(false);
                return;
            }
            if (released) w.release(table.store.lastSeq());
            else w.wake(table.store.lastSeq());
            boolean filtered = filter.states() != null || filter.type() != null || filter.owner() != null;
            w.answer().thenRun(() -> {
                // why: a filtered watch woken by others' changes looks again after a pause, not at every write
                if (filtered) RECHECK_DELAY.execute(() -> recheck(from));
                else recheck(from);
            });
        }

        private void recheck(long from) {
            try {
                Step s = step(from, filter, limit, false);
                if (s.answer() != null) result.complete(s.answer());
                else waitFrom(s.from());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }

        private void finish(long from) {
            try {
                result.complete(step(from, filter, limit, true).answer());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
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
