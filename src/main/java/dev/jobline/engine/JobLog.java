package dev.jobline.engine;

import dev.jobline.job.LogLine;
import dev.jobline.store.JobStore;
import dev.jobline.time.Timers;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running job's log lines not yet stored. They are written at most once every flush interval,
 * all that waited in one store write, one write at a time, and the rest before the job's end is
 * stored, so a job printing a hundred thousand lines costs the store a few writes a second. At
 * most {@code keep} lines wait (the store keeps no more); older ones are counted as dropped.
 */
final class JobLog {
    private static final Logger log = LoggerFactory.getLogger(JobLog.class);

    private final String jobId;
    private final JobStore store;
    private final Timers timers;
    private final Duration every;
    private final int keep;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<LogLine> pending = new ArrayDeque<>(); // guarded by lock
    private long skipped; // guarded by lock
    private final ReentrantLock flushing = new ReentrantLock();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    JobLog(String jobId, JobStore store, Timers timers, Duration every, int keep) {
        this.jobId = jobId;
        this.store = store;
        this.timers = timers;
        this.every = every;
        this.keep = keep;
    }

    /** Adds a line (several when {@code text} holds line breaks); throws IllegalArgumentException for an unknown stream. */
    void add(String stream, String text) {
        Instant at = timers.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        String all = text == null ? "" : text;
        List<LogLine> lines = new ArrayList<>(1);
        if (all.indexOf('\n') < 0) {
            lines.add(LogLine.of(at, stream, all));
        } else {
            String[] parts = all.split("\r?\n", -1);
            int n = parts.length > 1 && parts[parts.length - 1].isEmpty() ? parts.length - 1 : parts.length;
            for (int i = 0; i < n; i++) lines.add(LogLine.of(at, stream, parts[i]));
        }
        lock.lock();
        try {
            for (LogLine l : lines) {
                pending.addLast(l);
                if (pending.size() > keep) {
                    pending.removeFirst();
                    skipped++;
                }
            }
        } finally {
            lock.unlock();
        }
        if (scheduled.compareAndSet(false, true)) timers.after(every, () -> Thread.ofVirtual().start(this::flushWhenDue));
    }

    private void flushWhenDue() {
        scheduled.set(false);
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("could not store the log of job {}; trying again: {}", jobId, e.getMessage());
            if (scheduled.compareAndSet(false, true)) timers.after(Duration.ofSeconds(1), () -> Thread.ofVirtual().start(this::flushWhenDue));
        }
    }

    /** Stores the lines that wait, after any store write of them under way; on failure they wait again and it throws. */
    void flush() {
        flushing.lock();
        try {
            List<LogLine> lines;
            long skip;
            lock.lock();
            try {
                if (pending.isEmpty() && skipped == 0) return;
                lines = new ArrayList<>(pending);
                skip = skipped;
                pending.clear();
                skipped = 0;
            } finally {
                lock.unlock();
            }
            try {
                store.appendLog(jobId, lines, skip, keep);
            } catch (RuntimeException e) {
                putBack(lines, skip);
                throw e;
            }
        } finally {
            flushing.unlock();
        }
    }

    private void putBack(List<LogLine> lines, long skip) {
        lock.lock();
        try {
            for (int i = lines.size() - 1; i >= 0; i--) pending.addFirst(lines.get(i));
            skipped += skip;
            while (pending.size() > keep) {
                pending.removeFirst();
                skipped++;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the lines that wait, for the write of the job's end to store with it (null when none
     * wait), after any store write of earlier lines under way, so they stay in order.
     */
    dev.jobline.store.LogTail takeForEnd() {
        flushing.lock();
        try {
            lock.lock();
            try {
                if (pending.isEmpty() && skipped == 0) return null;
                dev.jobline.store.LogTail tail = new dev.jobline.store.LogTail(new ArrayList<>(pending), skipped, keep);
                pending.clear();
                skipped = 0;
                return tail;
            } finally {
                lock.unlock();
            }
        } finally {
            flushing.unlock();
        }
    }

    /** Puts back lines taken for the end that the end's write did not store, to be stored on their own. */
    void giveBack(dev.jobline.store.LogTail tail) {
        if (tail != null) putBack(tail.lines(), tail.skipped());
    }

    /** Stores what waits before the job's end is stored: a few tries, then the lines are given up with a warning. */
    void flushAtEnd() {
        for (int attempt = 1; ; attempt++) {
            try {
                flush();
                return;
            } catch (RuntimeException e) {
                if (attempt >= 3) {
                    log.warn("could not store the last log lines of job {}; they are lost: {}", jobId, e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
