package dev.jobline.job;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Limits per owner: jobs queued or running at once, submissions per second (a token bucket
 * holding up to twice the rate), and long-polls waiting at once. A null limit is no limit.
 * Jobs without an owner count under the empty owner.
 */
public final class Quotas {
    private final Integer maxActive;
    private final Integer submitsPerSecond;
    private final Integer maxWaiters;
    private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> waiters = new ConcurrentHashMap<>();
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public Quotas(Integer maxActive, Integer submitsPerSecond, Integer maxWaiters) {
        this.maxActive = maxActive;
        this.submitsPerSecond = submitsPerSecond;
        this.maxWaiters = maxWaiters;
    }

    public static Quotas none() {
        return new Quotas(null, null, null);
    }

    private static String key(String owner) {
        return owner == null ? "" : owner;
    }

    /** Takes one submission from the owner's rate, or throws Full naming the quota. */
    void admitSubmit(String owner) {
        if (submitsPerSecond == null) return;
        double wait = buckets.computeIfAbsent(key(owner), k -> new Bucket(submitsPerSecond)).take();
        if (wait > 0) {
            throw new JobException.Full("quota max-submits-per-second-per-owner (" + submitsPerSecond
                    + " a second) reached for this owner", (int) Math.ceil(wait));
        }
    }

    /** Counts a new active job for the owner, or throws Full naming the quota. */
    void addActive(String owner, boolean force) {
        AtomicInteger n = active.computeIfAbsent(key(owner), k -> new AtomicInteger());
        if (n.incrementAndGet() > (maxActive == null || force ? Integer.MAX_VALUE : maxActive)) {
            n.decrementAndGet();
            throw new JobException.Full("quota max-active-per-owner (" + maxActive + " jobs queued or running) reached for this owner", 1);
        }
    }

    void endActive(String owner) {
        AtomicInteger n = active.get(key(owner));
        if (n != null) n.decrementAndGet();
    }

    /** Counts a waiting request for the owner and returns what releases it, or throws Full naming the quota. */
    Runnable addWaiter(String owner) {
        if (maxWaiters == null) return () -> {};
        AtomicInteger n = waiters.computeIfAbsent(key(owner), k -> new AtomicInteger());
        if (n.incrementAndGet() > maxWaiters) {
            n.decrementAndGet();
            throw new JobException.Full("quota max-waiters-per-owner (" + maxWaiters + " waiting requests) reached for this owner", 1);
        }
        return n::decrementAndGet;
    }

    /** A token bucket: {@code rate} tokens a second, holding at most twice that. */
    private static final class Bucket {
        private final ReentrantLock lock = new ReentrantLock();
        private final double rate;
        private double tokens; // guarded by lock
        private long last = System.nanoTime(); // guarded by lock

        Bucket(double rate) {
            this.rate = rate;
            this.tokens = rate * 2;
        }

        /** 0 when a token was taken, else the seconds until one is there. */
        double take() {
            lock.lock();
            try {
                long now = System.nanoTime();
                tokens = Math.min(rate * 2, tokens + (now - last) / 1e9 * rate);
                last = now;
                if (tokens >= 1) {
                    tokens -= 1;
                    return 0;
                }
                return (1 - tokens) / rate;
            } finally {
                lock.unlock();
            }
        }
    }
}
