package dev.jobline.engine;

import dev.jobline.time.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes the claimer when the next delayed job comes due, and not before: one timer, set for the
 * earliest due time the claimer was told of. A sooner time replaces it; a later one is ignored,
 * since the claimer asks the store for the next due time again after every claim.
 */
final class DueTimes {
    private final Timers timers;
    private final Runnable wake;
    private final ReentrantLock lock = new ReentrantLock();
    private Instant armedFor; // guarded by lock
    private Timers.Timer timer; // guarded by lock

    DueTimes(Timers timers, Runnable wake) {
        this.timers = timers;
        this.wake = wake;
    }

    /** Wakes the claimer at {@code due}, unless it is already to be woken sooner. */
    void arm(Instant due) {
        if (due == null) return;
        lock.lock();
        try {
            Instant now = timers.clock().instant();
            if (armedFor != null && armedFor.isAfter(now) && !due.isBefore(armedFor)) return;
            if (timer != null) timer.cancel();
            armedFor = due;
            // why: measured from the clock's instant, not its millisecond, which would set the timer up to 1 ms late
            timer = timers.after(due.isAfter(now) ? Duration.between(now, due) : Duration.ZERO, this::fire);
        } finally {
            lock.unlock();
        }
    }

    private void fire() {
        lock.lock();
        try {
            Instant due = armedFor;
            if (due != null && timers.clock().instant().isBefore(due)) { // why: a timer that came up early would wake a claim that finds nothing
                timer = timers.after(Duration.between(timers.clock().instant(), due), this::fire);
                return;
            }
            armedFor = null;
            timer = null;
        } finally {
            lock.unlock();
        }
        wake.run();
    }

    /** When the claimer is to be woken next for a due job, or null. */
    Instant armedFor() {
        lock.lock();
        try {
            return armedFor;
        } finally {
            lock.unlock();
        }
    }
}
