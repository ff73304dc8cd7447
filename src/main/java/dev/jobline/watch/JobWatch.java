package dev.jobline.watch;

import dev.jobline.job.Job;
import dev.jobline.job.JobException;
import dev.jobline.store.ActiveJobs;
import dev.jobline.store.ChangeSet;
import dev.jobline.store.FeedListener;
import dev.jobline.store.JobFilter;
import dev.jobline.store.JobStore;
import dev.jobline.time.Timers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Waiting for change, fed only by the store's change feed: whatever node made a change, the
 * commit reaches this node's feed and wakes its waiters. A waiter is registered on one job (or on
 * the collection) and removes itself when answered or when its client goes away; it holds no
 * thread while it waits. Every waiter registers first and reads the job second, so a change
 * between the two still wakes it.
 */
public final class JobWatch implements FeedListener, AutoCloseable {
    private static final int WAKE_INLINE = 64;

    private final JobStore store;
    private final ActiveJobs active;
    private final Waiting waiting;
    private final Timers timers;
    private final Function<Job, byte[]> writer;
    private final WaiterQuota quota;
    private final Map<String, JobWaiters> byJob = new ConcurrentHashMap<>();
    private final WaiterSet<Long> feedWaiters = new WaiterSet<>();
    private final Executor wakers = Executors.newVirtualThreadPerTaskExecutor();
    private final LogWatch logs;
    private volatile boolean released;

    /**
     * @param maxWaitersPerOwner the per-owner bound on waiting requests (null: none)
     * @param elsewhere how many the owner has waiting on other nodes
     */
    public JobWatch(JobStore store, ActiveJobs active, int maxWaiters, Integer maxWaitersPerOwner, ToIntFunction<String> elsewhere,
                    Timers timers, Function<Job, byte[]> writer) {
        this.store = store;
        this.active = active;
        this.timers = timers;
        this.writer = writer;
        this.waiting = new Waiting(maxWaiters, timers);
        this.quota = new WaiterQuota(maxWaitersPerOwner, elsewhere);
        this.logs = new LogWatch(store, this);
        store.subscribe(this);
    }

    /** Waiting for jobs' logs to grow, within this watch's limits. */
    public LogWatch logs() {
        return logs;
    }

    /** The waiters of one job and the newest version of it this node has seen. */
    private final class JobWaiters extends WaiterSet<Snapshot> {
        final String id;
        final AtomicReference<Snapshot> latest = new AtomicReference<>();

        JobWaiters(String id) {
            this.id = id;
        }

        /** Keeps the newer of what it has and {@code s}; returns the newest. */
        Snapshot offer(Snapshot s) {
            return latest.accumulateAndGet(s, (cur, n) -> cur == null || n.job().version() > cur.job().version() ? n : cur);
        }

        @Override
        protected void left() {
            if (isEmpty() && retireIfEmpty()) byJob.remove(id, this);
        }
    }

    public Snapshot snapshot(Job job) {
        return new Snapshot(job, writer);
    }

    @Override
    public void committed(Batch batch) {
        long at = System.nanoTime();
        for (Job j : batch.jobs()) {
            JobWaiters jw = byJob.get(j.id());
            if (jw == null) continue;
            Snapshot s = jw.offer(snapshot(j));
            if (jw.size() > WAKE_INLINE) wakers.execute(() -> jw.wakeAll(s, at)); // why: the store's thread must not write to thousands
            else jw.wakeAll(s, at);
        }
        logs.committed(batch, at);
        // why: a commit of log lines alone changes no job: collection watches need not look
        if (!feedWaiters.isEmpty() && (!batch.jobs().isEmpty() || !batch.deleted().isEmpty())) {
            long position = batch.position();
            if (feedWaiters.size() > WAKE_INLINE) wakers.execute(() -> feedWaiters.wakeAll(position, at));
            else feedWaiters.wakeAll(position, at);
        }
    }

    Optional<Job> find(String id) {
        Optional<Job> a = active.get(id);
        return a.isPresent() ? a : store.get(id);
    }

    /**
     * The job once its version is greater than {@code after} or it is terminal, or as it is when
     * {@code wait} passes, counting the wait against {@code owner}'s quota. Throws NotFound, Full
     * when a limit is reached, or Draining. Cancelling the answer releases the wait at once.
     */
    public CompletableFuture<Snapshot> awaitJob(String id, long after, Duration wait, String owner) {
        return awaitJob(id, after, wait, owner, null);
    }

    /** As above; within a stream's {@code slot} (counted once for the stream) when it is not null. */
    public CompletableFuture<Snapshot> awaitJob(String id, long after, Duration wait, String owner, StreamSlot slot) {
        Job now = find(id).orElseThrow(() -> new JobException.NotFound(id));
        if (ready(now, after) || wait.isZero()) return CompletableFuture.completedFuture(snapshot(now));
        if (released) throw draining();
        Runnable release = take(owner, slot);
        Waiter<Snapshot> w;
        JobWaiters jw;
        try {
            do {
                jw = byJob.computeIfAbsent(id, JobWaiters::new);
                jw.offer(snapshot(now));
                JobWaiters set = jw;
                w = register(jw, wait, () -> set.latest.get(), s -> ready(s.job(), after), slot == null);
            } while (w == null);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        w.answer().whenComplete((a, e) -> release.run());
        Snapshot again = jw.offer(snapshot(find(id).orElse(now)));
        if (released) w.release(again);
        else w.wake(again);
        return w.answer();
    }

    /** As {@link #awaitJob(String, long, Duration, String)} without an owner. */
    public CompletableFuture<Snapshot> awaitJob(String id, long after, Duration wait) {
        return awaitJob(id, after, wait, null);
    }

    /** Opens a stream's place among the waiters; throws Full when a limit is reached, or Draining. */
    public StreamSlot openStream(String owner) {
        if (released) throw draining();
        Runnable quota = take(owner);
        try {
            return new StreamSlot(waiting.reserve(), quota);
        } catch (Waiting.TooManyWaitersException e) {
            quota.run();
            throw new JobException.Full(e.getMessage(), 1);
        }
    }

    /** The timers the waits are measured by. */
    public Timers timers() {
        return timers;
    }

    Runnable take(String owner, StreamSlot slot) {
        return slot != null ? () -> {} : take(owner);
    }

    Runnable take(String owner) {
        try {
            return quota.add(owner);
        } catch (WaiterQuota.Exceeded e) {
            throw new JobException.Full(e.getMessage(), 1);
        }
    }

    <T> Waiter<T> register(WaiterSet<T> set, Duration wait, java.util.function.Supplier<T> onTimeout,
                                   java.util.function.Predicate<T> wanted, boolean counted) {
        try {
            return waiting.register(set, wait, onTimeout, wanted, counted);
        } catch (Waiting.TooManyWaitersException e) {
            throw new JobException.Full(e.getMessage(), 1);
        }
    }

    private static boolean ready(Job j, long after) {
        return j.version() > after || j.isTerminal();
    }

    /** The newest jobs that match, and the cursor to watch from. */
    public Listing list(JobFilter filter, int limit) {
        long seq = store.lastPosition(); // why: read before listing, so a change during it is delivered again, not lost
        List<Job> jobs = store.list(filter, limit);
        return new Listing(jobs, new Cursor(store.feedId(), seq).toString(), List.of(), false);
    }

    /**
     * Jobs that changed after {@code cursor} and match, and ids deleted since; if none, waits up to
     * {@code wait} for some. A cursor this store did not issue, or one too old, gets a full
     * listing with {@code reset}. Counts against {@code owner}'s quota; cancelling the answer (the
     * client went away) releases the wait at once.
     */
    public CompletableFuture<Listing> awaitChanges(Cursor cursor, JobFilter filter, int limit, Duration wait, String owner) {
        return awaitChanges(cursor, filter, limit, wait, owner, null);
    }

    /** As above; within a stream's {@code slot} (counted once for the stream) when it is not null. */
    public CompletableFuture<Listing> awaitChanges(Cursor cursor, JobFilter filter, int limit, Duration wait, String owner,
                                                   StreamSlot slot) {
        long deadline = timers.clock().millis() + wait.toMillis();
        long seq = cursor.feedId().equals(store.feedId()) ? cursor.seq() : -1;
        Step first = step(seq, filter, limit, true); // why: answers at once if anything changed
        if (first.answer() != null && (first.answer().reset() || !first.answer().jobs().isEmpty()
                || !first.answer().deleted().isEmpty() || wait.isZero())) {
            return CompletableFuture.completedFuture(first.answer());
        }
        if (released) throw draining();
        Runnable release = take(owner, slot);
        try {
            ChangeWait w = new ChangeWait(filter, limit, deadline, slot == null);
            w.result.whenComplete((a, e) -> release.run());
            w.waitFrom(first.from());
            return w.result;
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /** As {@link #awaitChanges(Cursor, JobFilter, int, Duration, String)}, counted against the filter's owner. */
    public CompletableFuture<Listing> awaitChanges(Cursor cursor, JobFilter filter, int limit, Duration wait) {
        return awaitChanges(cursor, filter, limit, wait, filter.owner());
    }

    /** What the feed holds after {@code seq} for a filter: an answer, or null and the position to wait from. */
    private record Step(Listing answer, long from) {}

    /** Reads the changes after {@code seq}; {@code always} answers even when nothing matched. */
    private Step step(long seq, JobFilter filter, int limit, boolean always) {
        ChangeSet changes = seq < 0 ? null : store.changesSince(seq, limit);
        if (changes == null) {
            Listing full = list(filter, limit);
            return new Step(new Listing(full.jobs(), full.cursor(), List.of(), true), -1);
        }
        List<Job> matching = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        for (Job j : changes.jobs()) {
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
        private final boolean counted;
        private volatile Waiter<Long> current;

        ChangeWait(JobFilter filter, int limit, long deadline, boolean counted) {
            this.filter = filter;
            this.limit = limit;
            this.deadline = deadline;
            this.counted = counted;
            result.whenComplete((a, e) -> {
                Waiter<Long> w = current;
                if (result.isCancelled() && w != null) w.answer().cancel(false);
            });
        }

        void waitFrom(long from) {
            if (result.isDone()) return;
            long left = deadline - timers.clock().millis();
            if (left <= 0 || released) {
                finish(from);
                return;
            }
            Waiter<Long> w = register(feedWaiters, Duration.ofMillis(left), store::lastPosition, last -> last > from, counted);
            current = w;
            if (result.isDone()) { // why: cancelled while we registered
                w.answer().cancel(false);
                return;
            }
            if (released) w.release(store.lastPosition());
            else w.wake(store.lastPosition());
            boolean filtered = filter.states() != null || filter.type() != null || filter.owner() != null;
            w.answer().thenRun(() -> {
                // why: a filtered watch woken by others' changes looks again after a pause, not at every write
                if (filtered && !released) RECHECK_DELAY.execute(() -> recheck(from));
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

    private static final Executor RECHECK_DELAY = CompletableFuture.delayedExecutor(
            20, TimeUnit.MILLISECONDS, Executors.newVirtualThreadPerTaskExecutor());

    static JobException.Draining draining() {
        return new JobException.Draining("the server is shutting down; wait elsewhere or retry after it restarts");
    }

    private String cursorAt(long seq) {
        return new Cursor(store.feedId(), seq).toString();
    }

    /** Answers every waiter now and every later one at once: the server is going away. */
    public void releaseAll() {
        released = true;
        for (JobWaiters jw : byJob.values()) {
            Snapshot s = jw.latest.get();
            if (s == null) s = find(jw.id).map(this::snapshot).orElse(null);
            if (s != null) jw.releaseAll(s);
        }
        feedWaiters.releaseAll(store.lastPosition());
        logs.releaseAll();
    }

    boolean released() {
        return released;
    }

    /** Requests waiting now in this process. */
    public int waiting() {
        return waiting.waiting();
    }

    /**
     * Told, for each waiter a change wakes, of the nanoseconds from this node hearing of the commit
     * to the waiter's answer handed to its request (a held long-poll writes it then).
     */
    public void timeWakes(java.util.function.LongConsumer timer) {
        waiting.timeWakes(timer);
    }

    /** Waiting requests per owner, for the heartbeat. */
    public Map<String, Integer> waitersByOwner() {
        return quota.byOwner();
    }

    @Override
    public void close() {
        releaseAll();
        waiting.close();
    }
}
