package dev.jobline.engine;

import dev.jobline.job.Job;
import dev.jobline.job.JobError;
import dev.jobline.job.JobType;
import dev.jobline.job.Progress;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A job running on this node: the newest stored version known, what its handler reported since,
 * and its thread. Its writes to the store go through one writer at a time (see {@link Runner}),
 * and nothing else waits for them: cancels go to the store, reads to the feed.
 */
final class LiveJob {
    final JobType type;
    /** The attempt this node claimed: a later attempt of the same job, even on this node, is not this one's. */
    final int attempt;
    /** Log lines reported and not yet stored. */
    final JobLog log;
    private final AtomicReference<Job> job;
    /** Progress reported and not yet stored (or null). */
    volatile Progress pending;
    /** How the handler ended, once it has: the end the writer must store. */
    volatile Outcome outcome;
    volatile Thread thread;
    /** Set when the node gives the job up (drain past its grace): its end is not written by the handler. */
    volatile boolean abandoned;
    /** Set when the attempt ran past its timeout (and its handler was interrupted for it). */
    volatile boolean timedOut;
    /** The timer of the attempt's timeout, or null. */
    volatile dev.jobline.time.Timers.Timer timeoutTimer;
    final AtomicBoolean writing = new AtomicBoolean();
    final AtomicBoolean flushTimer = new AtomicBoolean();
    volatile boolean again;
    volatile long lastFlushMillis = Long.MIN_VALUE / 2;
    /** Completed when the job has left this node: its end stored, or the job lost to another node, or given up. */
    final CompletableFuture<Void> gone = new CompletableFuture<>();

    /** A handler's end: a result, or a failure. */
    record Outcome(JsonNode result, JobError failure) {}

    LiveJob(JobType type, Job job, JobLog log) {
        this.type = type;
        this.attempt = job.attempt();
        this.log = log;
        this.job = new AtomicReference<>(job);
    }

    Job job() {
        return job.get();
    }

    String id() {
        return job.get().id();
    }

    /** Takes a newer stored version (from this node's writes or the feed); older ones are ignored. */
    void offer(Job newer) {
        job.accumulateAndGet(newer, (cur, n) -> n.version() > cur.version() ? n : cur);
    }

    boolean cancelRequested() {
        return job.get().cancelRequested();
    }

    void interrupt() {
        Thread t = thread;
        if (t != null) t.interrupt();
    }
}
