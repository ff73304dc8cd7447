package dev.jobline.watch;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * Long-polls waiting per owner on this node, bounded together with those the owner has on the
 * other nodes (as their heartbeats last said): max-waiters-per-owner holds across the cluster.
 */
final class WaiterQuota {
    /** Thrown when the owner already has its most waiters. */
    static final class Exceeded extends RuntimeException {
        Exceeded(int max) {
            super("quota max-waiters-per-owner (" + max + " waiting requests) reached for this owner", null, false, false);
        }
    }

    private final Integer max;
    private final ToIntFunction<String> elsewhere;
    private final Map<String, AtomicInteger> waiting = new ConcurrentHashMap<>();

    WaiterQuota(Integer max, ToIntFunction<String> elsewhere) {
        this.max = max;
        this.elsewhere = elsewhere;
    }

    private static String key(String owner) {
        return owner == null ? "" : owner;
    }

    /** Counts a waiting request for the owner and returns what releases it (once), or throws Exceeded. */
    Runnable add(String owner) {
        AtomicInteger n = waiting.computeIfAbsent(key(owner), k -> new AtomicInteger());
        int here = n.incrementAndGet();
        if (max != null && here + elsewhere.applyAsInt(key(owner)) > max) {
            n.decrementAndGet();
            throw new Exceeded(max);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) n.decrementAndGet();
        };
    }

    int of(String owner) {
        AtomicInteger n = waiting.get(key(owner));
        return n == null ? 0 : n.get();
    }

    /** The owners with waiters now, and how many each: what the node's heartbeat tells the others. */
    Map<String, Integer> byOwner() {
        Map<String, Integer> out = new HashMap<>();
        waiting.forEach((owner, n) -> {
            if (n.get() > 0) out.put(owner, n.get());
        });
        return out;
    }
}
