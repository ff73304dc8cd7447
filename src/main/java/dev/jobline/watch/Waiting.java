package dev.jobline.watch;

import dev.jobline.time.Timers;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Registers waiters, bounds how many wait at once in this process, and answers those whose wait
 * passes (measured by the injected timers' clock). A waiting client costs a small object and a
 * timer entry: no thread, no CPU. A waiter whose answer is cancelled (its client went away)
 * leaves at once.
 */
public final class Waiting implements AutoCloseable {
    private final Timers timers;
    private final ExecutorService answerer = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger uncounted = new AtomicInteger(); // why: a stream's waiters; the stream itself is counted once
    private final int max;
    private volatile LongConsumer woken = nanos -> {};
    private final LongConsumer timeWake = nanos -> woken.accept(nanos);

    public Waiting(int maxWaiters, Timers timers) {
        this.max = maxWaiters;
        this.timers = timers;
    }

    /** Thrown when the process already holds its most waiters. */
    public static final class TooManyWaitersException extends RuntimeException {
        public TooManyWaitersException(int max) {
            super("this server already holds its maximum of " + max + " waiting requests");
        }
    }

    /**
     * Adds a waiter to {@code set}. It is answered by the first {@code wakeAll} on the set with a
     * value it {@code wanted}, or after {@code wait} with what {@code onTimeout} gives then.
     * Cancelling its answer takes it out of the set and the count at once. Null when the set is
     * retired: the caller registers on a fresh one.
     */
    public <T> Waiter<T> register(WaiterSet<T> set, Duration wait, Supplier<T> onTimeout, Predicate<T> wanted) {
        return register(set, wait, onTimeout, wanted, true);
    }

    /** As above; a waiter that is not {@code counted} belongs to a stream already counted by {@link #reserve()}. */
    <T> Waiter<T> register(WaiterSet<T> set, Duration wait, Supplier<T> onTimeout, Predicate<T> wanted, boolean counted) {
        AtomicInteger n = counted ? count : uncounted;
        if (n.incrementAndGet() > max && counted) {
            n.decrementAndGet();
            throw new TooManyWaitersException(max);
        }
        Waiter<T> w = new Waiter<>(answerer, set, n, wanted, timeWake);
        if (!set.tryAdd(w)) {
            n.decrementAndGet();
            return null;
        }
        w.setTimer(timers.after(wait, () -> w.finish(onTimeout)));
        w.answer().whenComplete((v, e) -> {
            if (w.answer().isCancelled()) w.leave();
        });
        return w;
    }

    /**
     * Counts one waiter for as long as a stream lives, however often it waits again in between;
     * returns what releases it (once). Throws TooManyWaitersException when the process is full.
     */
    Runnable reserve() {
        if (count.incrementAndGet() > max) {
            count.decrementAndGet();
            throw new TooManyWaitersException(max);
        }
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) count.decrementAndGet();
        };
    }

    /** Completes {@code task} on the answering executor, off the caller's thread. */
    public void answerLater(Runnable task) {
        answerer.execute(task);
    }

    /** Told of the nanoseconds from each change to the answer it woke (see {@link WaiterSet#wakeAll(Object, long)}). */
    public void timeWakes(LongConsumer timer) {
        woken = timer;
    }

    public int waiting() {
        return count.get();
    }

    @Override
    public void close() {
        answerer.shutdown();
    }
}
