package dev.jobline.job;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/** What each owner uses of its {@link Quotas} now; the submit rate is measured by the injected clock. */
final class QuotaCounters {
    private final Quotas limits;
    private final Clock clock;
    private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> waiters = new ConcurrentHashMap<>();
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    QuotaCounters(Quotas limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    private static String key(String owner) {
        return owner == null ? "" : owner;
    }

    /** Takes one submission from the owner's rate, or throws Full naming the quota. */
    void admitSubmit(String owner) {
        Integer rate = limits.submitsPerSecond();
        if (rate == null) return;
        double wait = buckets.computeIfAbsent(key(owner), k -> new Bucket(rate, clock.millis())).take(clock.millis());
        if (wait > 0) {
            throw new JobException.Full("quota max-submits-per-second-per-owner (" + rate
                    + " a second) reached for this owner", (int) Math.ceil(wait));
        }
    }

    /** Counts a new active job for the owner, or throws Full naming the quota; {@code force} counts it whatever the limit. */
    void addActive(String owner, boolean force) {
        Integer max = limits.maxActive();
        AtomicInteger n = active.computeIfAbsent(key(owner), k -> new AtomicInteger());
        if (n.incrementAndGet() > (max == null || force ? Integer.MAX_VALUE : max)) {
            n.decrementAndGet();
            throw new JobException.Full("quota max-active-per-owner (" + max + " jobs queued or running) reached for this owner", 1);
        }
    }

    void endActive(String owner) {
        AtomicInteger n = active.get(key(owner));
        if (n != null) n.decrementAndGet();
    }

    int active(String owner) {
        AtomicInteger n = active.get(key(owner));
        return n == null ? 0 : n.get();
    }

    /** Counts a waiting request for the owner and returns what releases it (once), or throws Full naming the quota. */
    Runnable addWaiter(String owner) {
        Integer max = limits.maxWaiters();
        AtomicInteger n = waiters.computeIfAbsent(key(owner), k -> new AtomicInteger());
        if (n.incrementAndGet() > (max == null ? Integer.MAX_VALUE : max)) {
            n.decrementAndGet();
            throw new JobException.Full("quota max-waiters-per-owner (" + max + " waiting requests) reached for this owner", 1);
        }
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) n.decrementAndGet();
        };
    }

    /** Long-polls the owner has waiting now. */
    int waiters(String owner) {
        AtomicInteger n = waiters.get(key(owner));
        return n == null ? 0 : n.get();
    }

    /** A token bucket: {@code rate} tokens a second, holding at most twice that. */
    private static final class Bucket {
        private final ReentrantLock lock = new ReentrantLock();
        private final double rate;
        private double tokens; // guarded by lock
        private long lastMillis; // guarded by lock

        Bucket(double rate, long nowMillis) {
            this.rate = rate;
            this.tokens = rate * 2;
            this.lastMillis = nowMillis;
        }

        /** 0 when a token was taken, else the seconds until one is there. */
        double take(long nowMillis) {
            lock.lock();
            try {
                if (nowMillis > lastMillis) {
                    tokens = Math.min(rate * 2, tokens + (nowMillis - lastMillis) / 1e3 * rate);
                    lastMillis = nowMillis;
                }
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
