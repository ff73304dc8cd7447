package dev.jobline.store;

import dev.jobline.job.LogLine;
import java.util.List;

/**
 * The last lines of a job's log, stored with the write that ends the job (see
 * {@link JobStore#update(dev.jobline.job.Job, long, LogTail)}): as {@link JobStore#appendLog} takes them.
 */
public record LogTail(List<LogLine> lines, long skipped, int keep) {
    public LogTail {
        lines = List.copyOf(lines);
    }
}
