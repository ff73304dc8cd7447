package dev.jobline.watch;

/**
 * A stream's place among the waiters, held from its start to its end: one in the process's
 * count (--max-waiters) and one in its owner's quota (--max-waiters-per-owner), however often
 * the stream waits again between its events. Closing it (once is enough) gives both back.
 */
public final class StreamSlot implements AutoCloseable {
    private final Runnable count;
    private final Runnable quota;

    StreamSlot(Runnable count, Runnable quota) {
        this.count = count;
        this.quota = quota;
    }

    @Override
    public void close() {
        quota.run();
        count.run();
    }
}
