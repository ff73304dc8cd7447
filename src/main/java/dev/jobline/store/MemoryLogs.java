package dev.jobline.store;

import dev.jobline.job.LogLine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/** The logs of a {@link MemoryJobStore}'s jobs: the newest lines of each, numbered from 1. */
final class MemoryLogs {

    /** One job's log; its feed position is the store's to keep. */
    private static final class Log {
        final ReentrantLock lock = new ReentrantLock();
        final ArrayDeque<LogLine> kept = new ArrayDeque<>(); // guarded by lock
        long last; // guarded by lock
        long headSeq; // guarded by the store's write lock
    }

    private final Map<String, Log> logs = new ConcurrentHashMap<>();

    /** Appends and trims; returns the newest line number. */
    long append(String id, List<LogLine> lines, long skipped, int keep) {
        Log log = logs.computeIfAbsent(id, k -> new Log());
        log.lock.lock();
        try {
            log.last += skipped;
            int from = Math.max(0, lines.size() - keep);
            log.last += from;
            for (LogLine l : lines.subList(from, lines.size())) log.kept.addLast(l.numbered(++log.last));
            while (log.kept.size() > keep) log.kept.removeFirst();
            return log.last;
        } finally {
            log.lock.unlock();
        }
    }

    /** Swaps in the job's new feed position and returns its old one (0 if none). */
    long moveHead(String id, long seq) {
        Log log = logs.get(id);
        long old = log.headSeq;
        log.headSeq = seq;
        return old;
    }

    /** Forgets a job's log; returns its feed position (0 if none). */
    long remove(String id) {
        Log log = logs.remove(id);
        return log == null ? 0 : log.headSeq;
    }

    LogPage read(String id, long after, int limit) {
        Log log = logs.get(id);
        if (log == null) return new LogPage(List.of(), after, 0);
        log.lock.lock();
        try {
            List<LogLine> out = new ArrayList<>(Math.min(limit, log.kept.size()));
            long dropped = log.kept.isEmpty() ? log.last : log.kept.peekFirst().n() - 1;
            for (LogLine l : log.kept) {
                if (out.size() >= limit) break;
                if (l.n() > after) out.add(l);
            }
            return new LogPage(out, out.isEmpty() ? after : out.get(out.size() - 1).n(), dropped);
        } finally {
            log.lock.unlock();
        }
    }
}
