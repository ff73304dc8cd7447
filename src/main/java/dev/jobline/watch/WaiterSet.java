package dev.jobline.watch;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The waiters of one job (or of the collection); each leaves the set when it is answered. A set
 * can be retired once empty, after which it takes no more waiters (so one that was dropped from
 * an index is never joined again).
 */
public class WaiterSet<T> {
    private final Set<Waiter<T>> waiting = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private boolean retired; // guarded by lock

    /** Adds a waiter; false when the set is retired. */
    boolean tryAdd(Waiter<T> w) {
        lock.lock();
        try {
            if (retired) return false;
            waiting.add(w);
            return true;
        } finally {
            lock.unlock();
        }
    }

    void remove(Waiter<T> w) {
        waiting.remove(w);
        left();
    }

    /** Called after a waiter left; the per-job sets retire themselves here when empty. */
    protected void left() {}

    /** Retires the set if it is empty; true if it did (or was already). */
    protected boolean retireIfEmpty() {
        lock.lock();
        try {
            if (!waiting.isEmpty()) return false;
            retired = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    public boolean isEmpty() {
        return waiting.isEmpty();
    }

    public int size() {
        return waiting.size();
    }

    /** Answers every waiter now in the set that wants {@code value}. */
    public void wakeAll(T value) {
        wakeAll(value, System.nanoTime());
    }

    /** As {@link #wakeAll(Object)}, for a change this node heard of at {@code changedAt} ({@link System#nanoTime()}). */
    public void wakeAll(T value, long changedAt) {
        if (waiting.isEmpty()) return;
        for (Waiter<T> w : waiting) {
            w.wake(value, changedAt);
        }
    }

    /** Answers every waiter now in the set with {@code value}, wanted or not. */
    public void releaseAll(T value) {
        for (Waiter<T> w : waiting) {
            w.release(value);
        }
    }
}
