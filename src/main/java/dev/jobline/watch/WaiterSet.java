package dev.jobline.watch;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The waiters of one job (or of the collection); each leaves the set when it is answered. */
public final class WaiterSet<T> {
    private final Set<Waiter<T>> waiting = ConcurrentHashMap.newKeySet();

    void add(Waiter<T> w) {
        waiting.add(w);
    }

    void remove(Waiter<T> w) {
        waiting.remove(w);
    }

    public boolean isEmpty() {
        return waiting.isEmpty();
    }

    public int size() {
        return waiting.size();
    }

    /** Answers every waiter now in the set that wants {@code value}. */
    public void wakeAll(T value) {
        if (waiting.isEmpty()) return;
        for (Waiter<T> w : waiting) {
            w.wake(value);
        }
    }

    /** Answers every waiter now in the set with {@code value}, wanted or not. */
    public void releaseAll(T value) {
        for (Waiter<T> w : waiting) {
            w.release(value);
        }
    }
}
