package dev.jobline.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.jobline.Node;
import dev.jobline.TestNode;
import dev.jobline.job.AttemptError;
import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import dev.jobline.job.JobType;
import dev.jobline.job.RetryPolicy;
import dev.jobline.job.RunOptions;
import dev.jobline.json.Json;
import dev.jobline.store.MemoryJobStore;
import dev.jobline.engine.Quotas;
import dev.jobline.time.FakeTimers;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Delays, retries, timeouts and checkpoints in one engine, on fake time: nothing here waits for real time to pass. */
@Timeout(30)
class FlowEngineTest {
    private final FakeTimers timers = new FakeTimers(Instant.parse("2026-12-06T10:00:00Z"));

    private static final JobType FLAKY = JobType.of("flaky", "fails twice, then succeeds", null, (ctx, params) -> {
        if (ctx.attempt() < 3) throw new java.io.IOException("flaky attempt " + ctx.attempt());
        return java.util.Map.of("attempt", ctx.attempt());
    });
    private static final JobType STUCK = JobType.of("stuck", "waits for an hour", null, (ctx, params) -> {
        ctx.sleep(Duration.ofHours(1));
        return null;
    });
    private static final JobType RESUMABLE = JobType.of("resumable", "saves its place, then dies once", null, (ctx, params) -> {
        if (ctx.checkpoint() == null) {
            ctx.checkpoint(JsonNodeFactory.instance.objectNode().put("done", 5));
            throw new IllegalStateException("lost after the checkpoint");
        }
        return ctx.checkpoint();
    });
    private static final JobType HOARDER = JobType.of("hoarder", "tries a checkpoint over 64 KiB", null, (ctx, params) -> {
        try {
            ctx.checkpoint(JsonNodeFactory.instance.textNode("x".repeat(70_000)));
            return "stored";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    });

    private Node start() {
        return TestNode.start(new MemoryJobStore(), TestNode.limits(100, 10), Quotas.none(), timers, FLAKY, STUCK, RESUMABLE, HOARDER);
    }

    private static Job awaitState(JobEngine e, String id, JobState state) {
        await().atMost(Duration.ofSeconds(20)).until(() -> e.get(id).orElseThrow().state() == state);
        return e.get(id).orElseThrow();
    }

    private static RunOptions retry(int attempts) {
        return new RunOptions(null, null, null, null, new RetryPolicy(attempts, Duration.ofSeconds(1), Duration.ofMinutes(1)));
    }

    @Test
    void aDelayedJobStaysQueuedUntilItsTimeAndStartsThen() throws Exception {
        try (Node node = start()) {
            JobEngine e = node.engine();
            Instant at = timers.clock().instant().plusSeconds(60);
            Job job = e.submit("sleep", Json.MAPPER.readTree("{\"seconds\": 0}"), null, null, null, null,
                    new RunOptions(at, null, null, null, null));
            assertThat(job.runAt()).isEqualTo(at);
            await().atMost(Duration.ofSeconds(10)).until(() -> at.equals(e.runner().dueAt()));
            timers.advance(Duration.ofSeconds(59));
            assertThat(e.get(job.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
            timers.advance(Duration.ofSeconds(1));
            Job done = awaitState(e, job.id(), JobState.SUCCEEDED);
            assertThat(done.startedAt()).isEqualTo(at);
        }
    }

    @Test
    void aRetryReachesSuccessOnItsThirdAttemptWithTwoErrorsRecorded() throws Exception {
        try (Node node = start()) {
            JobEngine e = node.engine();
            e.jitter(() -> 0.5);
            Job job = e.submit("flaky", null, null, null, null, null, retry(3));
            await().atMost(Duration.ofSeconds(10)).until(() -> e.get(job.id()).orElseThrow().errors() != null);
            Job waiting = e.get(job.id()).orElseThrow();
            assertThat(waiting.state()).isEqualTo(JobState.QUEUED);
            assertThat(waiting.runAt()).isEqualTo(timers.clock().instant().plusMillis(500));
            timers.advance(Duration.ofMillis(500));
            await().atMost(Duration.ofSeconds(10)).until(() -> e.get(job.id()).orElseThrow().errors().size() == 2
                    && e.get(job.id()).orElseThrow().state() == JobState.QUEUED);
            timers.advance(Duration.ofSeconds(1));
            Job done = awaitState(e, job.id(), JobState.SUCCEEDED);
            assertThat(done.attempt()).isEqualTo(3);
            assertThat(done.errors()).extracting(AttemptError::attempt).containsExactly(1, 2);
            assertThat(done.errors().getFirst().error().message()).isEqualTo("flaky attempt 1");
            assertThat(done.result().get("attempt").asInt()).isEqualTo(3);
        }
    }

    @Test
    void cancellingAJobWaitingForItsRetryEndsItsRetries() throws Exception {
        try (Node node = start()) {
            JobEngine e = node.engine();
            Job job = e.submit("flaky", null, null, null, null, null, retry(5));
            await().atMost(Duration.ofSeconds(10)).until(() -> e.get(job.id()).orElseThrow().errors() != null);
            assertThat(e.cancel(job.id()).state()).isEqualTo(JobState.CANCELLED);
            timers.advance(Duration.ofMinutes(5));
            assertThat(e.get(job.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        }
    }

    @Test
    void anAttemptPastItsTimeoutIsInterruptedAndFailsAsTimeout() throws Exception {
        try (Node node = start()) {
            JobEngine e = node.engine();
            Job job = e.submit("stuck", null, null, null, null, null, new RunOptions(null, null, null, Duration.ofSeconds(5), null));
            awaitState(e, job.id(), JobState.RUNNING);
            timers.advance(Duration.ofSeconds(5));
            Job failed = awaitState(e, job.id(), JobState.FAILED);
            assertThat(failed.error().type()).isEqualTo("timeout");
            assertThat(failed.error().message()).isEqualTo("timed out after 5s");
        }
    }

    @Test
    void aTimedOutAttemptIsRetriedLikeAnyFailure() throws Exception {
        try (Node node = start()) {
            JobEngine e = node.engine();
            e.jitter(() -> 0.0);
            Job job = e.submit("stuck", null, null, null, null, null,
                    new RunOptions(null, null, null, Duration.ofSeconds(5), new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(1))));
            awaitState(e, job.id(), JobState.RUNNING);
            timers.advance(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(10)).until(() -> e.get(job.id()).orElseThrow().attempt() == 2
                    && e.get(job.id()).orElseThrow().state() == JobState.RUNNING);
            timers.advance(Duration.ofSeconds(5));
            Job failed = awaitState(e, job.id(), JobState.FAILED);
            assertThat(failed.errors()).extracting(a -> a.error().type()).containsExactly("timeout");
        }
    }

    @Test
    void aLaterAttemptReadsTheCheckpointAndOneOver64KiBIsRefused() throws Exception {
        try (Node node = start()) {
            JobEngine e = node.engine();
            e.jitter(() -> 0.0);
            Job job = e.submit("resumable", null, null, null, null, null, retry(2));
            Job done = awaitState(e, job.id(), JobState.SUCCEEDED);
            assertThat(done.attempt()).isEqualTo(2);
            assertThat(done.result().get("done").asInt()).isEqualTo(5);
            Job big = awaitState(e, e.submit("hoarder", null, null).id(), JobState.SUCCEEDED);
            assertThat(big.result().asText()).contains("at most 64 KiB");
            assertThat(big.checkpoint()).isNull();
        }
    }
}
