package dev.jobline.job;

import java.time.Duration;

/**
 * What a running handler sees of its job. Progress may be reported as often as the handler likes:
 * reports are coalesced, and waiters always get the latest one. Cancellation interrupts the
 * handler's thread, so blocking calls end with {@link InterruptedException}; a handler that
 * computes without blocking should call {@link #throwIfCancelled()} now and then.
 */
public interface JobContext {

    String jobId();

    /** 1 for the first run, higher when the job was re-queued after its process died. */
    int attempt();

    /** Reports progress as a percent from 0 to 100 with an optional message. */
    void progress(double percent, String message);

    /** Reports progress as {@code done} of {@code total} units with an optional message. */
    void progress(long done, long total, String message);

    /** Appends a line to the job's log; stream is "stdout", "stderr" or "log". */
    void log(String stream, String text);

    /** Appends a line to the job's log as stream "log". */
    default void log(String text) {
        log("log", text);
    }

    boolean isCancelled();

    /** Throws {@link java.util.concurrent.CancellationException} once the job is cancelled. */
    void throwIfCancelled();

    /**
     * The file of an upload this job's params name (a param whose schema has
     * {@code "format": "upload"} holds an upload id, checked at submit to be one of the caller's).
     * The file is read-only to the job and stays there while the job exists. A child process gets
     * it as {@code upload(id).toString()}, an absolute path.
     *
     * @throws JobFailedException (failing the job) when the upload is gone
     */
    java.nio.file.Path upload(String id);

    /** The client's name of an upload this job's params name (its last path segment, metadata only); like {@link #upload}. */
    String uploadName(String id);

    /**
     * Stores {@code state} with the job, durably, before returning, for a later attempt of this job
     * (after a crash, a takeover or a retry) to read back with {@link #checkpoint()}. At most 64 KiB
     * of JSON; a larger one throws IllegalArgumentException and stores nothing.
     */
    default void checkpoint(com.fasterxml.jackson.databind.JsonNode state) {
        throw new UnsupportedOperationException("this context does not keep checkpoints");
    }

    /** The last checkpoint stored by this job (by this attempt or an earlier one), or null. */
    default com.fasterxml.jackson.databind.JsonNode checkpoint() {
        return null;
    }

    /** Sleeps for the given time, ending early with InterruptedException when the job is cancelled. */
    default void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d);
    }
}
