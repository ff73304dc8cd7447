package dev.jobline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An slf4j logger that hands its INFO lines to one writer thread, which logs them to
 * {@code target}: what the access log and the job events write through, so that a request
 * never waits for the log's lock or its write to standard error. why: the bench showed a
 * request writing its own line costs more than the request itself once 64 of them contend for
 * the logger. At most {@link #CAPACITY} lines wait; past that new ones are dropped and counted,
 * and a warning says how many once there is room again.
 */
final class QueuedLog extends LegacyAbstractLogger implements AutoCloseable {
    static final int CAPACITY = 65_536;
    private static final String STOP = new String("stop");

    private final transient Logger target;
    private final transient ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final transient AtomicLong dropped = new AtomicLong();
    private final transient Thread writer;

    QueuedLog(Logger target) {
        this.target = target;
        this.name = target.getName();
        this.writer = Thread.ofPlatform().daemon().name("jobline-log-" + name).start(this::drain);
    }

    private void drain() {
        List<String> lines = new ArrayList<>(256);
        try {
            while (true) {
                lines.add(queue.take());
                queue.drainTo(lines, 255);
                for (String line : lines) {
                    if (line == STOP) return;
                    target.info(line);
                }
                lines.clear();
                long n = dropped.getAndSet(0);
                if (n > 0) target.warn("{} lines were dropped: the log could not keep up", n);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args, Throwable t) {
        String line = args == null || args.length == 0 ? pattern : MessageFormatter.basicArrayFormat(pattern, args);
        if (!queue.offer(line)) dropped.incrementAndGet();
    }

    /** Writes what waits (for at most a second), then stops the writer. */
    @Override
    public void close() {
        try {
            if (queue.offer(STOP, 1, TimeUnit.SECONDS)) writer.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override public boolean isTraceEnabled() { return false; }
    @Override public boolean isDebugEnabled() { return false; }
    @Override public boolean isInfoEnabled() { return target.isInfoEnabled(); }
    @Override public boolean isWarnEnabled() { return target.isInfoEnabled(); }
    @Override public boolean isErrorEnabled() { return target.isInfoEnabled(); }
}
