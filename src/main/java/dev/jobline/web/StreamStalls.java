package dev.jobline.web;

import dev.jobline.time.Timers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The writes of streams in progress, looked at a few times per {@code stallAfter}: a write its
 * reader has not taken for that long has its connection closed, which fails the write and ends
 * the stream (the client resumes with Last-Event-ID). One sweep for every stream instead of a
 * timer set and cancelled around every write.
 */
final class StreamStalls {
    private final Timers timers;
    private final Duration stallAfter;
    private final Duration every;
    private final Map<Runnable, Long> writing = new ConcurrentHashMap<>(); // close action -> started, in clock millis
    private final AtomicBoolean sweeping = new AtomicBoolean();

    StreamStalls(Timers timers, Duration stallAfter) {
        this.timers = timers;
        this.stallAfter = stallAfter;
        long quarter = Math.max(50, Math.min(1000, stallAfter.toMillis() / 4));
        this.every = Duration.ofMillis(quarter);
    }

    /** Runs {@code write}; {@code close} closes its connection if the write is still in progress after stallAfter. */
    void write(Runnable close, Runnable write) {
        writing.put(close, timers.clock().millis());
        if (sweeping.compareAndSet(false, true)) timers.after(every, this::sweep);
        try {
            write.run();
        } finally {
            writing.remove(close);
        }
    }

    private void sweep() {
        long now = timers.clock().millis();
        writing.forEach((close, since) -> {
            if (now - since >= stallAfter.toMillis() && writing.remove(close, since)) close.run();
        });
        sweeping.set(false);
        // why: sweeps only while something is being written; the next write starts them again
        if (!writing.isEmpty() && sweeping.compareAndSet(false, true)) timers.after(every, this::sweep);
    }
}
