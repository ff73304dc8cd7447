package dev.jobline.time;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Timers on a scheduled executor. The executor waits in real time; when a task comes up it
 * checks the clock, and if the clock says it is early (a clock that is not the system's) it
 * waits for the rest.
 */
final class SystemTimers implements Timers {
    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;

    SystemTimers(Clock clock) {
        this.clock = clock;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "jobline-timer");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true); // why: cancelled waiters must not pile up until their time
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Timer after(Duration delay, Runnable task) {
        Task t = new Task(clock.millis() + Math.max(0, delay.toMillis()), task);
        t.schedule(Math.max(0, delay.toNanos()));
        return t;
    }

    private final class Task implements Timer, Runnable {
        private final long dueMillis;
        private final Runnable task;
        private volatile ScheduledFuture<?> future;
        private volatile boolean cancelled;

        Task(long dueMillis, Runnable task) {
            this.dueMillis = dueMillis;
            this.task = task;
        }

        void schedule(long nanos) {
            if (cancelled || executor.isShutdown()) return;
            future = executor.schedule(this, nanos, TimeUnit.NANOSECONDS);
            if (cancelled) future.cancel(false);
        }

        @Override
        public void run() {
            if (cancelled) return;
            long early = dueMillis - clock.millis();
            if (early > 0) {
                schedule(TimeUnit.MILLISECONDS.toNanos(early));
                return;
            }
            task.run();
        }

        @Override
        public void cancel() {
            cancelled = true;
            ScheduledFuture<?> f = future;
            if (f != null) f.cancel(false);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
