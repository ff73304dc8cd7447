package dev.jobline.time;

import java.time.Clock;
import java.time.Duration;

/**
 * Time as the engine and the waiters see it: the injected clock, and tasks that run once that
 * clock has moved on by a delay. Production uses {@link #system(Clock)}; tests use a fake that
 * moves the clock by hand and runs what has come due, so nothing waits on real time.
 */
public interface Timers extends AutoCloseable {

    Clock clock();

    /** Runs {@code task} once, when {@link #clock()} is {@code delay} later than now, unless cancelled first. */
    Timer after(Duration delay, Runnable task);

    /** A task waiting for its time. */
    interface Timer {
        /** Stops the task from running if it has not run yet. */
        void cancel();
    }

    /** Timers on one daemon platform thread, measured by {@code clock}. */
    static Timers system(Clock clock) {
        return new SystemTimers(clock);
    }

    @Override
    void close();
}
