package dev.jobline.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobline.job.Job;
import dev.jobline.job.JobContext;
import dev.jobline.job.JobError;
import dev.jobline.job.JobState;
import dev.jobline.job.JobType;
import dev.jobline.job.Progress;
import dev.jobline.job.Transitions;
import dev.jobline.store.ActiveJobs;
import dev.jobline.store.JobStore;
import dev.jobline.store.LogTail;
import dev.jobline.time.Timers;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs on this node: claims ready ones from the store (as many as there are free places, in
 * one claim), runs each on its own virtual thread, and writes its progress (at most every
 * progress-flush interval) and its end. A handler that throws fails its job; nothing a handler
 * does stops the runner. Every write is a compare-and-set: one that loses re-reads the job, and
 * a job that is no longer this node's (taken over, deleted) is let go.
 */
final class Runner {
    private static final Logger log = LoggerFactory.getLogger(Runner.class);
    private static final int MAX_CLAIM = 256;

    private final JobStore store;
    private final ActiveJobs active;
    private final Map<String, JobType> types;
    private final EngineOptions options;
    private final Timers timers;
    private final ObjectMapper mapper;
    private final Uploads uploads;
    final Map<String, LiveJob> live = new ConcurrentHashMap<>();
    /** Jobs whose end could not be stored: the reaper retries them as takeovers. */
    final Map<String, LiveJob> orphans = new ConcurrentHashMap<>();
    private final Semaphore wakeups = new Semaphore(0);
    private final DueTimes dueTimes;
    /** Whether the claimer's last look may have left ready jobs for lack of places; then a freed place wakes it. */
    private volatile boolean wanting = true;
    /** Draws the jitter of retry backoffs, a number in [0, 1); tests set it (see JobEngine#jitter). */
    volatile java.util.function.DoubleSupplier jitter = () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble();
    private volatile boolean stopping;
    private Thread claimer;
    /** Makes each job's thread; a test may hold them (see JobEngine#jobThreads). */
    volatile ThreadFactory jobThreads = Thread.ofVirtual().factory();

    Runner(JobStore store, ActiveJobs active, Map<String, JobType> types, EngineOptions options, Timers timers, ObjectMapper mapper,
           Uploads uploads) {
        this.uploads = uploads;
        this.store = store;
        this.active = active;
        this.types = types;
        this.options = options;
        this.timers = timers;
        this.mapper = mapper;
        this.dueTimes = new DueTimes(timers, this::wake);
    }

    Instant now() {
        return timers.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    }

    String node() {
        return options.nodeId();
    }

    void start() {
        claimer = Thread.ofVirtual().name("jobline-claimer").start(this::claimLoop);
    }

    /** Asks the claimer to look for ready jobs now. */
    void wake() {
        wakeups.release();
    }

    /**
     * A queued job was stored (here or, by the feed, on any node): the claimer looks now when it is
     * ready, at its time when it is delayed, and not at all while it waits for other jobs (the write
     * that releases it is another queued version, which comes here again).
     */
    void queued(Job j) {
        if (j.waitingFor() != null && !j.waitingFor().isEmpty()) return;
        Instant due = j.runAt();
        if (due != null && due.isAfter(timers.clock().instant())) dueTimes.arm(due);
        else wake();
    }

    /** When the claimer is to wake next for a delayed job, or null. */
    Instant dueAt() {
        return dueTimes.armedFor();
    }

    int running() {
        return live.size();
    }

    private void claimLoop() {
        while (!stopping) {
            try {
                wanting = true; // why: before the places are counted, so that a place freed while the claimer looks wakes it again
                int free = options.maxRunning() - live.size();
                if (free > 0 && active.queued() > 0) {
                    Instant at = now();
                    List<Job> claimed = store.claim(node(), types.keySet(), options.queues(), Math.min(free, MAX_CLAIM), at);
                    for (Job j : claimed) startRun(j);
                    if (claimed.size() == Math.min(free, MAX_CLAIM)) continue; // why: there may be more ready
                    wanting = false;
                    // why: sleep until the next delayed job is due, not a poll. Asked as of the claim's time, so a job that
                    // came due while the claim committed is the next due time (already past: a wake at once), not skipped
                    store.nextDue(at).ifPresent(dueTimes::arm);
                } else if (free > 0) {
                    wanting = false;
                }
                // why: a safety net; a new queued job, a free place, a takeover or the next due time wakes the claimer at once
                wakeups.tryAcquire(1, TimeUnit.SECONDS);
                wakeups.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("could not claim jobs; trying again in a second: {}", e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void startRun(Job j) {
        active.offer(j);
        LiveJob lj = new LiveJob(types.get(j.type()), j,
                new JobLog(j.id(), store, timers, options.progressFlushInterval(), options.maxLogLines()));
        LiveJob earlier = live.put(j.id(), lj);
        // why: this node claimed the job again (taken from it while it seemed dead, then queued): the earlier attempt is over
        if (earlier != null) lost(earlier, j);
        if (stopping) { // why: claimed just as the node began to stop: give it back at once
            lj.abandoned = true;
            handBack(lj, "the server that claimed it is stopping");
            return;
        }
        Thread t = jobThreads.newThread(() -> run(lj));
        t.setName("job-" + j.id());
        t.start();
        if (j.timeout() != null) lj.timeoutTimer = timers.after(j.timeout(), () -> timedOut(lj));
    }

    /** The attempt ran past its timeout: its handler is interrupted as by a cancel, and the attempt fails as {@code timeout}. */
    private void timedOut(LiveJob lj) {
        if (lj.gone.isDone() || lj.outcome != null || lj.abandoned) return;
        lj.timedOut = true;
        lj.interrupt();
    }

    private void run(LiveJob lj) {
        lj.thread = Thread.currentThread();
        // why: given up (drained, or lost to another node) before this thread started. Both fields are volatile:
        // stop() sets abandoned then reads thread, this sets thread then reads abandoned, so one of the two sees the other
        if (lj.abandoned) {
            lj.thread = null;
            return;
        }
        Object result = null;
        Throwable failure = null;
        try {
            if (lj.cancelRequested()) throw new CancellationException("cancelled before it started");
            result = lj.type.handler().run(new RunContext(this, lj, uploads), lj.job().params());
        } catch (Throwable t) {
            failure = t;
        } finally {
            lj.thread = null;
            Thread.interrupted(); // why: a cancel may have interrupted us after the handler returned
        }
        if (lj.timeoutTimer != null) lj.timeoutTimer.cancel();
        if (lj.abandoned) { // why: the drain hands the job back; its end is not ours to write, its lines are
            lj.log.flushAtEnd();
            return;
        }
        lj.outcome = lj.timedOut && failure != null && !lj.cancelRequested()
                ? new LiveJob.Outcome(null, new JobError("timed out after " + dev.jobline.job.RunOptions.format(lj.job().timeout()), "timeout"))
                : outcome(result, failure);
        kick(lj);
    }

    private LiveJob.Outcome outcome(Object result, Throwable failure) {
        if (failure != null) {
            if (failure instanceof InterruptedException || failure instanceof CancellationException) {
                return new LiveJob.Outcome(null, new JobError("the job was interrupted", "interrupted"));
            }
            return new LiveJob.Outcome(null, JobError.of(failure));
        }
        try {
            return new LiveJob.Outcome(result == null ? null : mapper.valueToTree(result), null);
        } catch (IllegalArgumentException e) {
            return new LiveJob.Outcome(null, new JobError("the job's result is not JSON: " + e.getMessage(), "result"));
        }
    }

    /** Asks for the job's next write (progress or end); one writer at a time per job, on a virtual thread. */
    void kick(LiveJob lj) {
        if (lj.gone.isDone()) return;
        lj.again = true;
        if (!lj.writing.compareAndSet(false, true)) return;
        Thread.ofVirtual().start(() -> {
            try {
                while (lj.again && !lj.gone.isDone()) {
                    lj.again = false;
                    writeOnce(lj);
                }
            } catch (RuntimeException e) {
                log.error("the writer of job {} failed", lj.id(), e);
            } finally {
                lj.writing.set(false);
                if (lj.again && !lj.gone.isDone()) kick(lj);
            }
        });
    }

    private void writeOnce(LiveJob lj) {
        if (lj.abandoned) return;
        LiveJob.Outcome end = lj.outcome;
        if (end != null) {
            writeEnd(lj, end);
            return;
        }
        Progress p = lj.pending;
        Job cur = lj.job();
        if (p == null || p.equals(cur.progress()) || cur.state() != JobState.RUNNING) return;
        long now = timers.clock().millis();
        long due = lj.lastFlushMillis + options.progressFlushInterval().toMillis();
        if (now < due) { // why: progress is written at a bounded rate; the newest report is written when its time comes
            if (lj.flushTimer.compareAndSet(false, true)) {
                timers.after(Duration.ofMillis(due - now), () -> {
                    lj.flushTimer.set(false);
                    kick(lj);
                });
            }
            return;
        }
        lj.lastFlushMillis = now;
        try {
            write(lj, c -> Transitions.progress(c, p, now()));
        } catch (RuntimeException e) {
            log.warn("could not write the progress of job {}; the next report tries again: {}", lj.id(), e.getMessage());
        }
    }

    /**
     * Writes {@code next(current)} with a compare-and-set, re-reading and trying again when it
     * loses to another write (a cancel request, say). Empty when the job is no longer this node's.
     */
    private Optional<Job> write(LiveJob lj, UnaryOperator<Job> next) {
        return write(lj, next, new AtomicReference<>());
    }

    /** As above, storing the log lines in {@code tail} with the first write that reaches the store, which empties it. */
    private Optional<Job> write(LiveJob lj, UnaryOperator<Job> next, AtomicReference<LogTail> tail) {
        for (int round = 0; round < 100; round++) {
            Job cur = lj.job();
            if (!mine(lj, cur)) {
                lost(lj, cur);
                return Optional.empty();
            }
            LogTail lines = tail.get();
            Optional<Job> stored = store.update(next.apply(cur), cur.version(), lines);
            tail.set(null); // why: stored by that write whether it won its compare-and-set or not (it threw otherwise)
            if (stored.isPresent()) {
                lj.offer(stored.get());
                active.offer(stored.get());
                return stored;
            }
            Optional<Job> now = store.get(lj.id());
            if (now.isEmpty()) {
                lost(lj, null);
                return Optional.empty();
            }
            lj.offer(now.get());
            if (lj.cancelRequested()) lj.interrupt();
        }
        throw new IllegalStateException("job " + lj.id() + " kept changing under its writes");
    }

    /** Whether {@code j} is still the attempt {@code lj} runs: running here, and not a later attempt this node claimed again. */
    private boolean mine(LiveJob lj, Job j) {
        return j.state() == JobState.RUNNING && node().equals(j.node()) && j.attempt() == lj.attempt;
    }

    private void writeEnd(LiveJob lj, LiveJob.Outcome end) {
        long backoff = 50;
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // why: the last lines go in the end's own write: stored no later than the end, so a log waiter woken by it reads
        // them all, and one commit per ending job instead of two
        AtomicReference<LogTail> tail = new AtomicReference<>(lj.log.takeForEnd());
        while (true) {
            try {
                double uniform = jitter.getAsDouble();
                write(lj, c -> Transitions.finishOrRetry(c, lj.pending, end.result(), end.failure(), now(), uniform), tail);
                if (tail.get() != null) { // why: the job was no longer this node's, so no write carried them
                    lj.log.giveBack(tail.getAndSet(null));
                    lj.log.flushAtEnd();
                }
                leave(lj);
                return;
            } catch (RuntimeException e) {
                if (stopping || System.nanoTime() > giveUp) {
                    lj.log.giveBack(tail.getAndSet(null));
                    lj.log.flushAtEnd();
                    log.error("could not store the end of job {}; it stays running in the store and is taken over later", lj.id(), e);
                    orphans.put(lj.id(), lj);
                    leave(lj);
                    return;
                }
                log.warn("could not store the end of job {}; trying again in {} ms: {}", lj.id(), backoff, e.getMessage());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    lj.log.giveBack(tail.getAndSet(null));
                    lj.log.flushAtEnd(); // why: one try, as the thread is interrupted; the lines were stored before the end before
                    orphans.put(lj.id(), lj);
                    leave(lj);
                    return;
                }
                backoff = Math.min(5_000, backoff * 2);
            }
        }
    }

    /** The job was taken from this node (another node took it over, or it was deleted): its handler is stopped and its place freed. */
    private void lost(LiveJob lj, Job now) {
        if (now != null && !now.isTerminal()) log.warn("job {} is no longer this node's (it is {} on {}); stopping it here",
                lj.id(), now.state().wireName(), now.node());
        lj.abandoned = true;
        lj.interrupt();
        leave(lj);
    }

    private void leave(LiveJob lj) {
        // why: a freed place is news to the claimer only when its last look found more ready jobs than places; a job
        // that becomes ready wakes it by itself (see queued), and a place in a declared queue by the feed
        if (live.remove(lj.id(), lj) && wanting) wake();
        lj.gone.complete(null);
    }

    /** A change of a job from the feed: a running job here hears of its cancel, or of losing it. */
    void changed(Job j) {
        LiveJob lj = live.get(j.id());
        if (lj == null) return;
        lj.offer(j);
        Job cur = lj.job();
        if (cur.version() != j.version()) return;
        if (j.cancelRequested()) lj.interrupt();
        else if (!mine(lj, j) && lj.outcome == null && !lj.abandoned) lost(lj, j); // why: abandoned ones this node hands back itself
    }

    /**
     * Stores a checkpoint of a running job before returning (a compare-and-set write of the job);
     * throws IllegalStateException when the job is no longer this node's.
     */
    void checkpoint(LiveJob lj, JsonNode checkpoint) {
        if (write(lj, c -> Transitions.checkpoint(c, checkpoint, now())).isEmpty()) {
            throw new IllegalStateException("job " + lj.id() + " is no longer running here; its checkpoint was not stored");
        }
    }

    /** Records a report; the writer stores it now or when the flush interval allows. */
    void report(LiveJob lj, Progress p) {
        if (lj.outcome != null || lj.abandoned) return;
        lj.pending = p;
        kick(lj);
    }

    /**
     * Stops claiming, gives running jobs {@code grace} to finish, then interrupts the rest and hands
     * them back to the store (queued again as a new attempt, or failed when their type does not
     * restart), so another node or the next start runs them. A handler that ignores its
     * interrupt keeps its job running in the store, for the next start or another node to take over.
     */
    void stop(Duration grace) {
        stopping = true;
        if (claimer != null) claimer.interrupt();
        await(List.copyOf(live.values()), grace);
        List<LiveJob> left = List.copyOf(live.values());
        if (left.isEmpty()) return;
        for (LiveJob lj : left) {
            if (lj.outcome != null) continue; // why: its end is being written
            lj.abandoned = true;
            lj.interrupt();
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (LiveJob lj : left) {
            while (lj.thread != null && System.nanoTime() < until) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (lj.abandoned && lj.thread == null) handBack(lj, "the server running it stopped");
        }
        await(left, Duration.ofSeconds(5));
    }

    private void handBack(LiveJob lj, String why) {
        try {
            write(lj, c -> {
                Job latest = lj.pending == null ? c : c.with(b -> b.progress(lj.pending));
                return Transitions.takeover(latest, lj.type, options.maxAttempts(), why, now());
            });
        } catch (RuntimeException e) {
            log.warn("could not hand job {} back to the store; it is taken over once this node's lease ends: {}", lj.id(), e.getMessage());
        }
        leave(lj);
    }

    private static void await(List<LiveJob> jobs, Duration d) {
        if (jobs.isEmpty()) return;
        try {
            CompletableFuture.allOf(jobs.stream().map(lj -> lj.gone).toArray(CompletableFuture[]::new))
                    .get(Math.max(1, d.toMillis()), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // the rest are handled by the caller
        } catch (java.util.concurrent.ExecutionException e) {
            // cannot happen: gone is only completed normally
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Jobs that may need a takeover because their end could not be stored. */
    List<LiveJob> takeOrphans() {
        List<LiveJob> out = new ArrayList<>(orphans.values());
        orphans.clear();
        return out;
    }
}
