package dev.jobline.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs queued jobs, each on its own virtual thread, at most {@code maxRunning} at once. A handler
 * that throws fails its job; nothing a handler does stops the runner.
 */
final class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    /** Versions a running job may get ahead of the store before its progress is written at once. */
    static final long MAX_UNPERSISTED_VERSIONS = 1_000;

    private final JobTable table;
    private final EngineOptions options;
    private final ObjectMapper mapper;
    private final ScheduledExecutorService scheduler;
    private final LinkedBlockingQueue<LiveJob> queue = new LinkedBlockingQueue<>();
    private final Semaphore permits;
    final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition idle = idleLock.newCondition();
    private volatile boolean stopping;
    private Thread dispatcher;

    JobRunner(JobTable table, EngineOptions options, ObjectMapper mapper, ScheduledExecutorService scheduler) {
        this.table = table;
        this.options = options;
        this.mapper = mapper;
        this.scheduler = scheduler;
        this.permits = new Semaphore(options.maxRunning());
    }

    void start() {
        dispatcher = Thread.ofVirtual().name("jobline-dispatcher").start(this::dispatch);
    }

    /** Reserves a place in the queue, or throws Full. */
    void reserve() {
        if (queued.incrementAndGet() > options.maxQueued()) {
            queued.decrementAndGet();
            throw new JobException.Full("the queue is full (" + options.maxQueued() + " jobs waiting to run)", 1);
        }
    }

    void enqueue(LiveJob lj) {
        queue.add(lj);
    }

    /** Takes a cancelled job out of the queue, so cancelled jobs do not pile up behind running ones. */
    void dequeue(LiveJob lj) {
        queue.remove(lj);
    }

    int running() {
        return running.get();
    }

    private void dispatch() {
        while (!stopping) {
            try {
                LiveJob lj = queue.take();
                permits.acquire();
                if (stopping) {
                    permits.release();
                    return;
                }
                Thread.ofVirtual().name("job-" + lj.job().id()).start(() -> {
                    try {
                        run(lj);
                    } catch (Throwable t) {
                        log.error("job {} broke the runner's rules", lj.job().id(), t);
                    } finally {
                        permits.release();
                    }
                });
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void run(LiveJob lj) {
        running.incrementAndGet(); // why: before the stopping check, so stop() waits for a job that is starting
        lj.lock.lock();
        try {
            if (lj.job().state() != JobState.QUEUED || stopping) {
                ended();
                return;
            }
            queued.decrementAndGet(); // why: before the state shows running, so whoever sees running finds its queue place free
            try {
                table.commit(lj, lj.job().started(table.now()));
            } catch (RuntimeException e) {
                queued.incrementAndGet();
                throw e;
            }
            lj.thread = Thread.currentThread();
        } catch (RuntimeException e) {
            log.warn("could not start job {}; it stays queued and is tried again in a second", lj.job().id(), e);
            ended();
            scheduler.schedule(() -> enqueue(lj), 1, TimeUnit.SECONDS);
            return;
        } finally {
            lj.lock.unlock();
        }
        table.announce(lj);
        Object result = null;
        Throwable failure = null;
        try {
            result = lj.type.handler().run(new Context(lj), lj.job().params());
        } catch (Throwable t) {
            failure = t;
        }
        finish(lj, result, failure);
    }

    private void finish(LiveJob lj, Object result, Throwable failure) {
        boolean done = false;
        lj.lock.lock();
        try {
            lj.thread = null;
            Thread.interrupted(); // why: a cancel may have interrupted us after the handler returned
            Job cur = lj.job();
            Job next;
            if (lj.cancelRequested) {
                next = cur.ended(JobState.CANCELLED, new JobError("cancelled by request", "cancelled"), table.now());
            } else if (lj.abandoned) {
                return; // why: stays running in the store; the next start re-queues it
            } else if (failure != null) {
                next = cur.ended(JobState.FAILED, errorOf(failure), table.now());
            } else {
                next = succeed(cur, result);
            }
            done = commitRetrying(lj, next);
        } finally {
            lj.lock.unlock();
            ended();
        }
        if (done) table.announce(lj);
    }

    /** Commits a job's end, trying again for a while if the store fails; the caller holds {@code lj.lock}. */
    private boolean commitRetrying(LiveJob lj, Job next) {
        long backoffMillis = 50;
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                table.commit(lj, next);
                return true;
            } catch (RuntimeException e) {
                if (stopping || System.nanoTime() > giveUp) {
                    log.error("could not store the end of job {}; it stays running in the store and runs again at the next start",
                            next.id(), e);
                    return false;
                }
                log.warn("could not store the end of job {}; trying again in {} ms", next.id(), backoffMillis, e);
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                backoffMillis = Math.min(5_000, backoffMillis * 2);
            }
        }
    }

    private Job succeed(Job cur, Object result) {
        try {
            JsonNode value = result == null ? null : mapper.valueToTree(result);
            return cur.succeeded(value, table.now());
        } catch (IllegalArgumentException e) {
            return cur.ended(JobState.FAILED, new JobError("the job's result is not JSON: " + e.getMessage(), "result"), table.now());
        }
    }

    private static JobError errorOf(Throwable t) {
        if (t instanceof InterruptedException || t instanceof CancellationException) {
            return new JobError("the job was interrupted", "interrupted");
        }
        return JobError.of(t);
    }

    private void ended() {
        running.decrementAndGet();
        idleLock.lock();
        try {
            idle.signalAll();
        } finally {
            idleLock.unlock();
        }
    }

    /** Asks a running job to stop; it ends as cancelled when its handler returns. */
    void interrupt(LiveJob lj) {
        lj.lock.lock();
        try {
            if (lj.thread != null) lj.thread.interrupt();
        } finally {
            lj.lock.unlock();
        }
    }

    void report(LiveJob lj, Progress p) {
        for (int attempt = 0; attempt < 2; attempt++) {
            boolean published = false;
            long ahead;
            lj.lock.lock();
            try {
                Job cur = lj.job();
                if (cur.state() != JobState.RUNNING || p.equals(cur.progress())) return;
                ahead = cur.version() - lj.persistedVersion;
                if (ahead < MAX_UNPERSISTED_VERSIONS) {
                    lj.set(table.snapshot(cur.withProgress(p, table.now())));
                    published = true;
                }
            } finally {
                lj.lock.unlock();
            }
            if (!published) {
                flush(lj); // why: a job may get at most MAX_UNPERSISTED_VERSIONS ahead of the store, or recovery could reuse versions
                continue;
            }
            lj.waiters.wakeAll(lj.snapshot());
            if (lj.flushScheduled.compareAndSet(false, true)) {
                scheduler.schedule(() -> Thread.ofVirtual().start(() -> flush(lj)),
                        options.progressFlushInterval().toNanos(), TimeUnit.NANOSECONDS);
            }
            return;
        }
    }

    private void flush(LiveJob lj) {
        lj.flushScheduled.set(false);
        Job cur = lj.job();
        if (cur.isTerminal() || cur.version() <= lj.persistedVersion) return;
        try {
            table.store.update(cur).ifPresent(stored -> {
                if (stored.version() > lj.persistedVersion) lj.persistedVersion = stored.version();
            });
        } catch (RuntimeException e) {
            log.warn("could not write the progress of job {}; the next report tries again", cur.id(), e);
            return;
        }
        table.feedChanged();
    }

    /**
     * Stops starting jobs, gives running ones {@code grace} to finish, then interrupts the rest and
     * leaves them as running in the store, so that the next start re-queues them.
     */
    void stop(Duration grace) {
        stopping = true;
        if (dispatcher != null) dispatcher.interrupt();
        long deadline = System.nanoTime() + grace.toNanos();
        awaitIdle(deadline);
        if (running.get() == 0) return;
        List<LiveJob> abandoned = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        do { // why: in rounds, to catch a job that was just starting when the grace ran out
            for (LiveJob lj : table.live.values()) {
                if (lj.job().state() == JobState.RUNNING && !lj.abandoned) {
                    lj.abandoned = true;
                    interrupt(lj);
                    abandoned.add(lj);
                }
            }
            awaitIdle(Math.min(until, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100)));
        } while (running.get() > 0 && System.nanoTime() < until);
        for (LiveJob lj : abandoned) flush(lj); // why: keep the latest progress; the next start re-queues them
    }

    private void awaitIdle(long deadlineNanos) {
        idleLock.lock();
        try {
            while (running.get() > 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) return;
                idle.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            idleLock.unlock();
        }
    }

    /** What a handler sees of its job. */
    private final class Context implements JobContext {
        private final LiveJob lj;

        Context(LiveJob lj) {
            this.lj = lj;
        }

        @Override
        public String jobId() {
            return lj.job().id();
        }

        @Override
        public int attempt() {
            return lj.job().attempt();
        }

        @Override
        public void progress(double percent, String message) {
            report(lj, new Progress(percent, null, null, message));
        }

        @Override
        public void progress(long done, long total, String message) {
            report(lj, Progress.of(done, total, message));
        }

        @Override
        public boolean isCancelled() {
            return lj.cancelRequested;
        }

        @Override
        public void throwIfCancelled() {
            if (lj.cancelRequested) throw new CancellationException("the job was cancelled");
        }
    }
}
