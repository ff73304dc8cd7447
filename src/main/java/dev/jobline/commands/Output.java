package dev.jobline.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.job.JobContext;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a command's output lines do to its job: reports become progress, the last result line
 * the result, every other line a line of the job's log; the last stderr lines are kept for the
 * message of a failure. Nothing the program prints can stop the reading (a reader that stopped
 * would leave the program blocked on a full pipe).
 */
final class Output {
    static final int STDERR_LINES = 20;
    /** The longest log line; longer ones are cut (with a mark). */
    static final int MAX_LOG_LINE = 8 * 1024;

    private final JobContext ctx;
    private volatile JsonNode result;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<String> stderrTail = new ArrayDeque<>(); // guarded by lock

    Output(JobContext ctx) {
        this.ctx = ctx;
    }

    void stdout(String line) {
        try {
            switch (OutputProtocol.parse(line)) {
                case OutputProtocol.Progress p when p.total() != null -> ctx.progress(p.done(), p.total(), p.message());
                case OutputProtocol.Progress p -> ctx.progress(p.percent(), p.message());
                case OutputProtocol.Result r -> result = r.value();
                case OutputProtocol.Checkpoint c -> checkpoint(c.value());
                case OutputProtocol.Text t -> {
                    ctx.log("stdout", cut(t.text()));
                    if (t.problem() != null) ctx.log("log", "the line above is not a report: " + t.problem());
                }
            }
        } catch (RuntimeException e) {
            // why: a context that refuses a report (the job just ended) must not stop the reading
        }
    }

    /** Stores a checkpoint before the next line is read, so a crash after the line leaves it stored. */
    private void checkpoint(JsonNode value) {
        try {
            ctx.checkpoint(value);
        } catch (IllegalArgumentException e) {
            ctx.log("log", "the checkpoint was not stored: " + e.getMessage());
        }
    }

    void stderr(String line) {
        lock.lock();
        try {
            if (stderrTail.size() == STDERR_LINES) stderrTail.removeFirst();
            stderrTail.addLast(line.length() > 1000 ? line.substring(0, 1000) + "..." : line);
        } finally {
            lock.unlock();
        }
        try {
            ctx.log("stderr", cut(line));
        } catch (RuntimeException e) {
            // as in stdout
        }
    }

    /** The last result line's JSON, or null. */
    JsonNode result() {
        return result;
    }

    List<String> lastStderrLines() {
        lock.lock();
        try {
            return List.copyOf(stderrTail);
        } finally {
            lock.unlock();
        }
    }

    private static String cut(String line) {
        return line.length() <= MAX_LOG_LINE ? line : line.substring(0, MAX_LOG_LINE) + " [cut]";
    }
}
