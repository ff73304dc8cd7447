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
        total.incrementAndGet();
        perOwner.computeIfAbsent(key(owner), k -> new AtomicInteger()).incrementAndGet();
    }

    void release(String owner) {
        total.decrementAndGet();
        AtomicInteger n = perOwner.get(key(owner));
        if (n != null) n.decrementAndGet();
    }

    int total() {
        return total.get();
    }

    int of(String owner) {
        AtomicInteger n = perOwner.get(key(owner));
        return n == null ? 0 : n.get();
    }
}
