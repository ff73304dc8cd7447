package dev.jobline.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Submits on this node between their quota check and their commit: counted with the store's
 * active jobs, so that concurrent submits cannot all pass a limit that only one of them fits.
 */
final class Reservations {
    private final Map<String, AtomicInteger> perOwner = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    private static String key(String owner) {
        return owner == null ? "" : owner;
    }

    void take(String owner) {
        take(owner, 1);
    }

    void release(String owner) {
        release(owner, 1);
    }

    /** Reserves {@code count} places at once (a batch's children). */
    void take(String owner, int count) {
        total.addAndGet(count);
        perOwner.computeIfAbsent(key(owner), k -> new AtomicInteger()).addAndGet(count);
    }

    void release(String owner, int count) {
        total.addAndGet(-count);
        AtomicInteger n = perOwner.get(key(owner));
        if (n != null) n.addAndGet(-count);
    }

    int total() {
        return total.get();
    }

    int of(String owner) {
        AtomicInteger n = perOwner.get(key(owner));
        return n == null ? 0 : n.get();
    }
}
