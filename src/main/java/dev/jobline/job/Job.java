package dev.jobline.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One job as clients see it. Immutable: every change makes a new Job with a higher version, and
 * only {@link Transitions} makes the changes that move a job through its states.
 *
 * <p>{@code node} names the node running it (only while running); {@code owner} is shown only
 * when set, and {@code callback} (where to be told when it ends) only when given. {@code seq}
 * is the store's position of this version in the change feed, and
 * {@code cancelRequested} records an accepted cancel of a running job until its handler stops;
 * neither is part of the wire format.
 *
 * <p>How and when it runs (see {@link RunOptions}), each shown only when set: {@code runAt} (not
 * claimed before it; a job waiting for its next attempt shows it too), {@code priority},
 * {@code queue}, {@code timeout} of each attempt, {@code retry}, and {@code errors}, the failures
 * of its earlier attempts. {@code checkpoint} is what its handler saved for a later attempt (not
 * on the wire).
 */
@JsonPropertyOrder({"id", "type", "state", "version", "progress", "params", "result", "error",
        "attempt", "createdAt", "startedAt", "finishedAt", "updatedAt", "owner", "node", "callback",
        "after", "waitingFor", "parent", "runAt", "priority", "queue", "timeout", "retry", "errors"})
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
        @JsonInclude(JsonInclude.Include.NON_NULL) String node,
        @JsonIgnore boolean cancelRequested,
        @JsonIgnore long seq,
        @JsonInclude(JsonInclude.Include.NON_NULL) Callback callback,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> after,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> waitingFor,
        @JsonInclude(JsonInclude.Include.NON_NULL) String parent,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant runAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer priority,
        @JsonInclude(JsonInclude.Include.NON_NULL) String queue,
        @JsonIgnore Duration timeout,
        @JsonInclude(JsonInclude.Include.NON_NULL) RetryPolicy retry,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<AttemptError> errors,
        @JsonIgnore JsonNode checkpoint) {

    /** The type of a batch's parent job: no handler runs it; its children's ends move it. */
    public static final String BATCH = "batch";

    public Job {
        after = after == null || after.isEmpty() ? null : List.copyOf(after);
        waitingFor = waitingFor == null || waitingFor.isEmpty() ? null : List.copyOf(waitingFor);
    }

    /** A new job, waiting to run: version 1, no progress, no attempt yet. */
    public static Job queued(String id, String type, JsonNode params, String owner, Instant now) {
        return new Builder().id(id).type(type).state(JobState.QUEUED).version(1).progress(Progress.NONE).params(params)
                .createdAt(now).updatedAt(now).owner(owner).build();
    }

    /** Whether this is a batch's parent, which no handler runs (see {@link Transitions#batchChildEnded}). */
    @JsonIgnore
    public boolean isBatch() {
        return BATCH.equals(type) && node == null;
    }

    /** The timeout as clients wrote it ({@code "5m"}), or null. */
    @JsonProperty("timeout")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public String timeoutText() {
        return timeout == null ? null : RunOptions.format(timeout);
    }

    /** Whether a queued job may start at {@code now}: it has no due time, or its due time has come. */
    public boolean dueBy(Instant now) {
        return runAt == null || !runAt.isAfter(now);
    }

    @JsonIgnore
    public boolean isTerminal() {
        return state.isTerminal();
    }

    /** A copy with the changes {@code edit} makes to a builder holding this job's fields. */
    public Job with(UnaryOperator<Builder> edit) {
        return edit.apply(new Builder(this)).build();
    }

    /** The same job at its position in the store's feed. */
    public Job withSeq(long s) {
        return s == seq ? this : with(b -> b.seq(s));
    }

    /** Every field of a job, to change some and build a new one: adding a field to Job is adding it here. */
    public static final class Builder {
        private String id, type, owner, node;
        private JobState state;
        private long version, seq;
        private Progress progress = Progress.NONE;
        private JsonNode params, result;
        private JobError error;
        private int attempt;
        private Instant createdAt, startedAt, finishedAt, updatedAt;
        private boolean cancelRequested;
        private Callback callback;
        private List<String> after, waitingFor;
        private String parent;
        private Instant runAt;
        private Integer priority;
        private String queue;
        private Duration timeout;
        private RetryPolicy retry;
        private List<AttemptError> errors;
        private JsonNode checkpoint;

        public Builder() {}

        Builder(Job j) {
            id = j.id; type = j.type; state = j.state; version = j.version; progress = j.progress; params = j.params;
            result = j.result; error = j.error; attempt = j.attempt; createdAt = j.createdAt; startedAt = j.startedAt;
            finishedAt = j.finishedAt; updatedAt = j.updatedAt; owner = j.owner; node = j.node;
            cancelRequested = j.cancelRequested; seq = j.seq; callback = j.callback;
            after = j.after; waitingFor = j.waitingFor; parent = j.parent;
            runAt = j.runAt; priority = j.priority; queue = j.queue; timeout = j.timeout; retry = j.retry; errors = j.errors;
            checkpoint = j.checkpoint;
        }

        public Builder id(String v) { id = v; return this; }
        public Builder type(String v) { type = v; return this; }
        public Builder state(JobState v) { state = v; return this; }
        public Builder version(long v) { version = v; return this; }
        public Builder progress(Progress v) { progress = v; return this; }
        public Builder params(JsonNode v) { params = v; return this; }
        public Builder result(JsonNode v) { result = v; return this; }
        public Builder error(JobError v) { error = v; return this; }
        public Builder attempt(int v) { attempt = v; return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }
        public Builder startedAt(Instant v) { startedAt = v; return this; }
        public Builder finishedAt(Instant v) { finishedAt = v; return this; }
        public Builder updatedAt(Instant v) { updatedAt = v; return this; }
        public Builder owner(String v) { owner = v; return this; }
        public Builder node(String v) { node = v; return this; }
        public Builder cancelRequested(boolean v) { cancelRequested = v; return this; }
        public Builder seq(long v) { seq = v; return this; }
        public Builder callback(Callback v) { callback = v; return this; }
        public Builder after(List<String> v) { after = v; return this; }
        public Builder waitingFor(List<String> v) { waitingFor = v; return this; }
        public Builder parent(String v) { parent = v; return this; }
        public Builder runAt(Instant v) { runAt = v; return this; }
        public Builder priority(Integer v) { priority = v; return this; }
        public Builder queue(String v) { queue = v; return this; }
        public Builder timeout(Duration v) { timeout = v; return this; }
        public Builder retry(RetryPolicy v) { retry = v; return this; }
        public Builder errors(List<AttemptError> v) { errors = v == null ? null : List.copyOf(v); return this; }
        public Builder checkpoint(JsonNode v) { checkpoint = v; return this; }

        public Job build() {
            return new Job(id, type, state, version, progress, params, result, error, attempt, createdAt, startedAt,
                    finishedAt, updatedAt, owner, node, cancelRequested, seq, callback, after, waitingFor, parent, runAt, priority,
                    queue, timeout, retry, errors, checkpoint);
        }
    }
}
