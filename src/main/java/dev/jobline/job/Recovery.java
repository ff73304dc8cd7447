package dev.jobline.job;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks up the jobs a previous process left unfinished. Queued jobs queue again. Jobs that were
 * running when it stopped run again as a new attempt if their type restarts, unless they were
 * interrupted {@code maxAttempts} times already (a poison pill); otherwise they fail as
 * interrupted. Versions jump past any the dead process may have shown but not stored.
 */
final class Recovery {
    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    private Recovery() {}

    static void run(JobTable table, JobRunner runner, Map<String, JobType> types, int maxAttempts) {
        int requeued = 0, failed = 0, queued = 0;
        for (Job j : table.store.unfinished()) {
            JobType type = types.get(j.type());
            long past = j.version() + JobRunner.MAX_UNPERSISTED_VERSIONS;
            Job next = null;
            if (type == null) {
                next = j.withVersion(past).ended(JobState.FAILED,
                        new JobError("job type '" + j.type() + "' is not registered in this server", "unknown-type"), table.now());
            } else if (j.state() == JobState.RUNNING) {
                if (j.cancelRequested()) {
                    next = j.withVersion(past).ended(JobState.CANCELLED,
                            new JobError("cancelled by request; the server stopped before the job did", "cancelled"), table.now());
                } else if (!type.restartable()) {
                    next = j.withVersion(past).ended(JobState.FAILED,
                            new JobError("interrupted: the server running it stopped, and jobs of type " + j.type()
                                    + " do not restart", "interrupted"), table.now());
                } else if (j.attempt() >= maxAttempts) {
                    next = j.withVersion(past).ended(JobState.FAILED,
                            new JobError("interrupted " + j.attempt() + " times by a stopping server; not retried again",
                                    "interrupted"), table.now());
                } else {
                    next = j.requeued(past + 1, table.now());
                }
            }
            Job now = next == null ? j : table.store.update(next).orElse(next);
            if (now.isTerminal()) {
                failed++;
                continue;
            }
            if (next != null) requeued++;
            else queued++;
            LiveJob lj = new LiveJob(type, table.snapshot(now));
            table.live.put(now.id(), lj);
            table.quotas.addActive(now.owner(), true);
            runner.queued.incrementAndGet();
            runner.enqueue(lj);
        }
        if (requeued + failed + queued > 0) {
            log.info("recovered unfinished jobs: {} queued again, {} interrupted and re-queued, {} failed", queued, requeued, failed);
        }
    }
}
