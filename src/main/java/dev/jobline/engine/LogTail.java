package dev.jobline.engine;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The last lines a running job logged, kept in memory while it runs: what {@code JobContext.log}
 * does until the job's log is kept by the store.
 */
final class LogTail {
    static final int KEPT = 200;

    /** One line of a job's log. */
    record Line(String stream, String text) {}

    private final int kept;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Line> lines = new ArrayDeque<>(); // guarded by lock

    LogTail(int kept) {
        this.kept = kept;
    }

    void add(String stream, String text) {
        Line line = new Line(stream == null ? "log" : stream, text == null ? "" : text);
        lock.lock();
        try {
            if (lines.size() == kept) lines.removeFirst();
            lines.addLast(line);
        } finally {
            lock.unlock();
        }
    }

    List<Line> lines() {
        lock.lock();
        try {
            return List.copyOf(lines);
        } finally {
            lock.unlock();
        }
    }
}
