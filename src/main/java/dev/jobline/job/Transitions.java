package dev.jobline.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The legal moves of a job, in one place. Each returns the next version (one higher) or throws
 * when the move does not apply to the job's state; stores write the result with a
 * compare-and-set on the version, so a move made from a stale copy never lands.
 *
 * <pre>
 *   queued --claim--> running --finish--> succeeded | failed | cancelled
 *   queued --cancel--> cancelled          running --cancel--> running (cancel requested)
 *   running --takeover--> queued (a new attempt) | failed | cancelled    (its node died or drained)
 *   running --finish with a failure and attempts left--> queued with runAt (a retry)
 *   queued (waiting for X) --X succeeded--> queued (no longer waiting for X)
 *   queued (waiting for X) --X failed or was cancelled--> cancelled (error type dependency)
 *   batch parent: running --a child ended--> running (progress) | succeeded | failed;  running --cancel--> cancelled
 * </pre>
 *
 * <p>A job runs at most {@link #attemptBudget} times: its {@code retry.maxAttempts}, or the
 * server's poison-pill limit when it has no retry policy. Failed attempts (retried or taken
 * over) leave their error in {@code errors}.
 */
public final class Transitions {
    private Transitions() {}

    private static Job.Builder next(Job j, Instant now) {
        return new Job.Builder(j).version(j.version() + 1).updatedAt(now);
    }

    private static void require(Job j, JobState s, String move) {
        if (j.state() != s) throw new IllegalStateException(move + " needs a " + s.wireName() + " job; " + j.id() + " is " + j.state().wireName());
    }

    /** A node starts a queued job: a new attempt, running there. */
    public static Job claim(Job j, String node, Instant now) {
        require(j, JobState.QUEUED, "claim");
        return next(j, now).state(JobState.RUNNING).attempt(j.attempt() + 1).startedAt(now).node(node)
                .result(null).error(null).cancelRequested(false).build();
    }

    /**
     * A running job's handler stopped with {@code failure} (or without, see {@link #finish}): when the
     * failure may be retried, the job goes back to queued with its next attempt due after
     * {@code retry.delay(attempt, uniform)}; otherwise it ends as {@link #finish} says.
     */
    public static Job finishOrRetry(Job j, Progress latest, JsonNode result, JobError failure, Instant now, double uniform) {
        require(j, JobState.RUNNING, "finish");
        if (failure == null || j.cancelRequested() || j.retry() == null || !j.retry().allowsAfter(j.attempt())) {
            return finish(j, latest, result, failure, now);
        }
        return requeue(j, failure, now.plus(j.retry().delay(j.attempt(), uniform)), now);
    }

    /** How many attempts a job gets in all: its retry policy's, else {@code poisonPill} (the server's --max-attempts). */
    public static int attemptBudget(Job j, int poisonPill) {
        return j.retry() != null ? j.retry().maxAttempts() : poisonPill;
    }

    /** A running job stores a checkpoint for a later attempt; the caller checked its size. */
    public static Job checkpoint(Job j, JsonNode checkpoint, Instant now) {
        require(j, JobState.RUNNING, "checkpoint");
        return next(j, now).checkpoint(checkpoint).build();
    }

    private static Job requeue(Job j, JobError failure, Instant runAt, Instant now) {
        List<AttemptError> errors = new ArrayList<>(j.errors() == null ? List.of() : j.errors());
        errors.add(new AttemptError(j.attempt(), failure, now));
        return next(j, now).state(JobState.QUEUED).progress(Progress.NONE).startedAt(null).node(null).result(null)
                .error(null).cancelRequested(false).runAt(runAt).errors(errors).build();
    }

    /** A running job reports how far it has come. */
    public static Job progress(Job j, Progress p, Instant now) {
        require(j, JobState.RUNNING, "progress");
        return next(j, now).progress(p).build();
    }

    /**
     * A cancel by request: a queued job ends at once; a running one records the request (a change of
     * its own, durable) and ends when its handler stops. Throws Conflict for a job already ended.
     */
    public static Job cancel(Job j, Instant now) {
        if (j.isBatch()) return cancelBatch(j, now);
        return switch (j.state()) {
            case QUEUED -> end(j, JobState.CANCELLED, null, new JobError("cancelled by request before it started", "cancelled"), now);
            case RUNNING -> j.cancelRequested() ? j : next(j, now).cancelRequested(true).build();
            default -> throw new JobException.Conflict("job " + j.id() + " already " + j.state().wireName() + " and cannot be cancelled");
        };
    }

    /**
     * A running job's handler stopped: cancelled if a cancel was requested, else succeeded with
     * {@code result} or failed with {@code failure}. {@code latest} is progress reported after the
     * last one stored, or null.
     */
    public static Job finish(Job j, Progress latest, JsonNode result, JobError failure, Instant now) {
        require(j, JobState.RUNNING, "finish");
        Job at = latest == null ? j : j.with(b -> b.progress(latest));
        if (j.cancelRequested()) return end(at, JobState.CANCELLED, null, new JobError("cancelled by request", "cancelled"), now);
        if (failure != null) return end(at, JobState.FAILED, null, failure, now);
        return next(at, now).state(JobState.SUCCEEDED).progress(at.progress().completed()).result(result).error(null)
                .finishedAt(now).node(null).cancelRequested(false).build();
    }

    /**
     * A running job whose node is gone (died, lost its lease, or drained past its grace): it runs
     * again from the start as a new attempt if its type restarts, unless it already ran
     * {@code maxAttempts} times (a poison pill); an accepted cancel ends it cancelled; a type this
     * node does not know ({@code type} null) fails it. {@code why} says what happened to the node.
     */
    public static Job takeover(Job j, JobType type, int maxAttempts, String why, Instant now) {
        require(j, JobState.RUNNING, "takeover");
        if (j.cancelRequested()) {
            return end(j, JobState.CANCELLED, null, new JobError("cancelled by request; " + why + " before the job stopped", "cancelled"), now);
        }
        if (type == null) {
            return end(j, JobState.FAILED, null, new JobError("job type '" + j.type() + "' is not registered in this server", "unknown-type"), now);
        }
        if (!type.restartable()) {
            return end(j, JobState.FAILED, null, new JobError("interrupted: " + why + ", and jobs of type " + j.type()
                    + " do not restart", "interrupted"), now);
        }
        if (j.attempt() >= attemptBudget(j, maxAttempts)) {
            return end(j, JobState.FAILED, null, new JobError("interrupted " + j.attempt() + " times (" + why
                    + "); not retried again", "interrupted"), now);
        }
        // why: at once, not after a backoff: the attempt did not fail, its node went away
        return requeue(j, new JobError("interrupted: " + why, "interrupted"), j.runAt(), now);
    }

    /** A job waiting for {@code dep} hears that it succeeded: it waits for the others only (and is ready when none is left). */
    public static Job dependencySucceeded(Job j, String dep, Instant now) {
        require(j, JobState.QUEUED, "dependency succeeded");
        java.util.List<String> left = new java.util.ArrayList<>(j.waitingFor() == null ? java.util.List.of() : j.waitingFor());
        left.remove(dep);
        return next(j, now).waitingFor(left).build();
    }

    /** A job waiting for {@code dep} hears that it ended {@code how} (failed, cancelled): it is cancelled, naming it. */
    public static Job dependencyEnded(Job j, String dep, JobState how, Instant now) {
        require(j, JobState.QUEUED, "dependency ended");
        return end(j.with(b -> b.waitingFor(null)), JobState.CANCELLED, null,
                new JobError("dependency " + dep + " " + how.wireName(), "dependency"), now);
    }

    /**
     * A batch's parent hears that one of its children ended: its progress is the batch's
     * ({@code done} children ended of {@code total}, {@code percent} the mean of the children's),
     * and once every child ended it ends too: succeeded when all did, failed when one did not.
     */
    public static Job batchChildEnded(Job parent, long done, long total, long failed, double percentSum, Instant at) {
        require(parent, JobState.RUNNING, "batch progress");
        // why: children end on many threads and nodes, so their writes need not come in the order of their times; the batch's never go back
        Instant now = at.isBefore(parent.updatedAt()) ? parent.updatedAt() : at;
        String message = done + " of " + total + " ended" + (failed > 0 ? ", " + failed + " not succeeded" : "");
        Progress p = new Progress(total == 0 ? 100 : percentSum / total, done, total, message);
        if (done < total) return next(parent, now).progress(p).build();
        if (failed == 0) return next(parent, now).state(JobState.SUCCEEDED).progress(new Progress(100, done, total, message))
                .finishedAt(now).build();
        return end(parent.with(b -> b.progress(p)), JobState.FAILED, null,
                new JobError(failed + " of " + total + " jobs of the batch did not succeed", "batch"), now);
    }

    /**
     * A batch's parent between its children's ends: {@code percent} is the mean of its children's
     * percents, the running ones' as last reported; its counts stay as they are.
     */
    public static Job batchPercent(Job parent, double percent, Instant now) {
        require(parent, JobState.RUNNING, "batch progress");
        Progress p = parent.progress();
        return next(parent, now).progress(new Progress(percent, p.done(), p.total(), p.message())).build();
    }

    /** A cancel of a batch's parent: it ends at once (its store cancels the children in the same write). */
    public static Job cancelBatch(Job parent, Instant now) {
        if (parent.isTerminal()) {
            throw new JobException.Conflict("job " + parent.id() + " already " + parent.state().wireName() + " and cannot be cancelled");
        }
        return end(parent, JobState.CANCELLED, null, new JobError("cancelled by request", "cancelled"), now);
    }

    /** A queued job nobody here can run (its type is not registered in a server that owns the store alone). */
    public static Job unknownType(Job j, Instant now) {
        require(j, JobState.QUEUED, "unknown type");
        return end(j, JobState.FAILED, null, new JobError("job type '" + j.type() + "' is not registered in this server", "unknown-type"), now);
    }

    private static Job end(Job j, JobState terminal, JsonNode result, JobError why, Instant now) {
        return next(j, now).state(terminal).result(result).error(why).finishedAt(now).node(null).cancelRequested(false).build();
    }
}
