package dev.jobline.time;

import dev.jobline.job.SettableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Timers for tests: time stands still until {@link #advance} moves the clock, which then runs
 * every task that has come due, in order of its time, on the caller's thread.
 */
public final class FakeTimers implements Timers {
    private record Entry(long dueMillis, long order, Task task) {}

    private final SettableClock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> a.dueMillis != b.dueMillis
            ? Long.compare(a.dueMillis, b.dueMillis) : Long.compare(a.order, b.order)); // guarded by lock
    private long order; // guarded by lock

    public FakeTimers(Instant start) {
        this.clock = new SettableClock(start);
    }

    public FakeTimers() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Timer after(Duration delay, Runnable task) {
        Task t = new Task(task);
        lock.lock();
        try {
            queue.add(new Entry(clock.millis() + Math.max(0, delay.toMillis()), order++, t));
        } finally {
            lock.unlock();
        }
        return t;
    }

    /** Tasks not yet run nor cancelled. */
    public int pending() {
        lock.lock();
        try {
            return (int) queue.stream().filter(e -> !e.task.cancelled).count();
        } finally {
            lock.unlock();
        }
    }

    /** Moves the clock by {@code d}, running each task as its time comes. */
    public void advance(Duration d) {
        long until = clock.millis() + d.toMillis();
        while (true) {
            List<Task> due = new ArrayList<>();
            lock.lock();
            try {
                Entry next = queue.peek();
                if (next == null || next.dueMillis > until) break;
                long at = next.dueMillis;
                while (!queue.isEmpty() && queue.peek().dueMillis == at) due.add(queue.poll().task);
                long now = clock.millis();
                if (at > now) clock.advance(Duration.ofMillis(at - now));
            } finally {
                lock.unlock();
            }
            for (Task t : due) t.runIfLive();
        }
        long now = clock.millis();
        if (until > now) clock.advance(Duration.ofMillis(until - now));
    }

    private static final class Task implements Timer {
        private final Runnable task;
        private volatile boolean cancelled;

        Task(Runnable task) {
            this.task = task;
        }

        void runIfLive() {
            if (!cancelled) task.run();
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public void close() {}
}
