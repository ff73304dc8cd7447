package dev.jobline.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One job as clients see it. Immutable: every change makes a new Job with a higher version.
 *
 * <p>{@code seq} is the store's position of this version in the collection's change feed, and
 * {@code cancelRequested} records an accepted cancel of a running job until its handler stops;
 * neither is part of the wire format. {@code owner} is shown only when set.
 */
@JsonPropertyOrder({"id", "type", "state", "version", "progress", "params", "result", "error",
        "attempt", "createdAt", "startedAt", "finishedAt", "updatedAt", "owner"})
public record Job(
        String id,
        String type,
        JobState state,
        long version,
        Progress progress,
        JsonNode params,
        JsonNode result,
        JobError error,
        int attempt,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String owner,
        @JsonIgnore boolean cancelRequested,
        @JsonIgnore long seq) {

    public static Job queued(String id, String type, JsonNode params, String owner, Instant now) {
        return new Job(id, type, JobState.QUEUED, 1, Progress.NONE, params, null, null, 0,
                now, null, null, now, owner, false, 0);
    }

    @JsonIgnore
    public boolean isTerminal() {
        return state.isTerminal();
    }

    public Job started(Instant now) {
        return new Job(id, type, JobState.RUNNING, version + 1, progress, params, null, null, attempt + 1,
                createdAt, now, null, now, owner, false, seq);
    }

    public Job withProgress(Progress p, Instant now) {
        return new Job(id, type, state, version + 1, p, params, result, error, attempt,
                createdAt, startedAt, finishedAt, now, owner, cancelRequested, seq);
    }

    /** A running job whose cancel was accepted: it ends as cancelled when its handler stops, even after a restart. */
    public Job cancelling(Instant now) {
        return new Job(id, type, state, version + 1, progress, params, result, error, attempt,
                createdAt, startedAt, finishedAt, now, owner, true, seq);
    }

    public Job succeeded(JsonNode value, Instant now) {
        return new Job(id, type, JobState.SUCCEEDED, version + 1, progress.completed(), params, value, null,
                attempt, createdAt, startedAt, now, now, owner, false, seq);
    }

    public Job ended(JobState terminal, JobError why, Instant now) {
        return new Job(id, type, terminal, version + 1, progress, params, null, why, attempt,
                createdAt, startedAt, now, now, owner, false, seq);
    }

    /** Back in the queue after the process running it died; the next run is a new attempt. */
    public Job requeued(long newVersion, Instant now) {
        return new Job(id, type, JobState.QUEUED, newVersion, Progress.NONE, params, null, null, attempt,
                createdAt, null, null, now, owner, false, seq);
    }

    /** The same job at another version: for recovery, which must jump past versions a crash may have shown but not stored. */
    public Job withVersion(long v) {
        return new Job(id, type, state, v, progress, params, result, error, attempt,
                createdAt, startedAt, finishedAt, updatedAt, owner, cancelRequested, seq);
    }

    public Job withSeq(long s) {
        return new Job(id, type, state, version, progress, params, result, error, attempt,
                createdAt, startedAt, finishedAt, updatedAt, owner, cancelRequested, s);
    }
}
