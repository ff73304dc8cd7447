package dev.jobline.engine;

import dev.jobline.Node;
import dev.jobline.TestNode;
import dev.jobline.job.*;
import dev.jobline.engine.*;
import static dev.jobline.TestNode.limits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class JobEngineTest {

    private static JsonNode params(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    private static Job awaitState(JobEngine e, String id, JobState state) {
        await().atMost(Duration.ofSeconds(20)).until(() -> e.get(id).orElseThrow().state() == state);
        return e.get(id).orElseThrow();
    }

    @Test
    void aSubmittedJobRunsToSucceededWithItsResultAndFullProgress() throws Exception {
        try (Node node = TestNode.start()) {
            JobEngine e = node.engine();
            Job queued = e.submit("sleep", params("{\"seconds\":0.05,\"steps\":5}"), null);
            assertThat(queued.state()).isEqualTo(JobState.QUEUED);
            assertThat(queued.version()).isEqualTo(1);
            Job done = awaitState(e, queued.id(), JobState.SUCCEEDED);
            assertThat(done.result().get("slept").asDouble()).isEqualTo(0.05);
            assertThat(done.progress().percent()).isEqualTo(100.0);
            assertThat(done.progress().done()).isEqualTo(5);
            assertThat(done.attempt()).isEqualTo(1);
            assertThat(done.version()).as("queued, running, progress at a bounded rate, done").isGreaterThanOrEqualTo(queued.version() + 2);
            assertThat(done.startedAt()).isNotNull();
            assertThat(done.finishedAt()).isNotNull();
        }
    }

    @Test
    void aHandlerThatThrowsFailsItsJobAndTheEngineGoesOn() throws Exception {
        try (Node node = TestNode.start(TestTypes.throwing("boom", "disk on fire"))) {
            JobEngine e = node.engine();
            Job failed = awaitState(e, e.submit("boom", null, null).id(), JobState.FAILED);
            assertThat(failed.error().message()).isEqualTo("disk on fire");
            assertThat(failed.error().type()).isEqualTo("IllegalStateException");
            assertThat(failed.result()).isNull();
            awaitState(e, e.submit("sleep", params("{\"seconds\":0}"), null).id(), JobState.SUCCEEDED);
        }
    }

    @Test
    void failAtFailsTheSleepJobWhenProgressReachesIt() throws Exception {
        try (Node node = TestNode.start()) {
            JobEngine e = node.engine();
            Job failed = awaitState(e, e.submit("sleep", params("{\"seconds\":0.1,\"steps\":10,\"failAt\":50}"), null).id(), JobState.FAILED);
            assertThat(failed.error().message()).contains("50");
            assertThat(failed.progress().percent()).isEqualTo(50.0);
        }
    }

    @Test
    void cancellingAQueuedJobEndsItAtOnce() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (Node node = TestNode.start(limits(10, 1), Clock.systemUTC(), TestTypes.gated("gate", gate))) {
            JobEngine e = node.engine();
            Job blocker = e.submit("gate", null, null);
            awaitState(e, blocker.id(), JobState.RUNNING);
            Job waiting = e.submit("sleep", null, null);
            Job cancelled = e.cancel(waiting.id());
            assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
            assertThat(cancelled.error().type()).isEqualTo("cancelled");
            gate.countDown();
            awaitState(e, blocker.id(), JobState.SUCCEEDED);
            assertThat(e.get(waiting.id()).orElseThrow().startedAt()).isNull();
        }
    }

    @Test
    void cancellingARunningJobInterruptsItsHandler() throws Exception {
        try (Node node = TestNode.start(TestTypes.gated("gate", new CountDownLatch(1)))) {
            JobEngine e = node.engine();
            Job job = e.submit("gate", null, null);
            awaitState(e, job.id(), JobState.RUNNING);
            assertThat(e.cancel(job.id()).state()).isEqualTo(JobState.RUNNING);
            Job cancelled = awaitState(e, job.id(), JobState.CANCELLED);
            assertThat(cancelled.error().message()).isEqualTo("cancelled by request");
            assertThatThrownBy(() -> e.cancel(job.id())).isInstanceOf(JobException.Conflict.class);
        }
    }

    @Test
    void aFullQueueRefusesSubmitsWithARetryHint() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        try (Node node = TestNode.start(limits(1, 1), Clock.systemUTC(), TestTypes.gated("gate", gate, entered))) {
            JobEngine e = node.engine();
            e.submit("gate", null, null);
            // why: the handler running means the job has left the queue; its state alone said so a moment early
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
            Job queued = e.submit("gate", null, null);
            assertThat(queued.state()).isEqualTo(JobState.QUEUED);
            assertThatThrownBy(() -> e.submit("gate", null, null))
                    .isInstanceOfSatisfying(JobException.Full.class, f -> {
                        assertThat(f.retryAfterSeconds()).isPositive();
                        assertThat(f.getMessage()).contains("queue is full");
                    });
            gate.countDown();
            awaitState(e, queued.id(), JobState.SUCCEEDED);
            assertThat(e.submit("sleep", params("{\"seconds\":0}"), null).state()).as("room again once the queue drained").isEqualTo(JobState.QUEUED);
        }
    }

    @Test
    void unknownTypesAndBadParamsAreRefusedBeforeAnythingIsStored() throws Exception {
        try (Node node = TestNode.start()) {
            JobEngine e = node.engine();
            assertThatThrownBy(() -> e.submit("nope", null, null))
                    .isInstanceOf(JobException.UnknownType.class).hasMessageContaining("known types: sleep");
            assertThatThrownBy(() -> e.submit("sleep", params("{\"steps\":0}"), null))
                    .isInstanceOf(InvalidParamsException.class).hasMessageContaining("params.steps");
            assertThat(node.watch().list(dev.jobline.store.JobFilter.ALL, 10).jobs()).isEmpty();
        }
    }

    @Test
    void timestampsComeFromTheInjectedClock() throws Exception {
        Instant t = Instant.parse("2026-01-02T03:04:05.678912Z");
        try (Node node = TestNode.start(EngineOptions.defaults(), Clock.fixed(t, ZoneOffset.UTC))) {
            JobEngine e = node.engine();
            Job job = e.submit("sleep", params("{\"seconds\":0}"), null);
            assertThat(job.createdAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05.678Z"));
            Job done = awaitState(e, job.id(), JobState.SUCCEEDED);
            assertThat(done.finishedAt()).isEqualTo(job.createdAt());
        }
    }

    @Test
    void deleteRefusesActiveJobsAndRemovesFinishedOnes() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (Node node = TestNode.start(TestTypes.gated("gate", gate))) {
            JobEngine e = node.engine();
            Job job = e.submit("gate", null, null);
            assertThatThrownBy(() -> e.delete(job.id())).isInstanceOf(JobException.Conflict.class);
            gate.countDown();
            awaitState(e, job.id(), JobState.SUCCEEDED);
            e.delete(job.id());
            assertThat(e.get(job.id())).isEmpty();
            assertThatThrownBy(() -> e.delete(job.id())).isInstanceOf(JobException.NotFound.class);
        }
    }

    @Test
    void aHandlerReportingThousandsOfTimesLeavesEveryWaiterWithTheLatestState() throws Exception {
        try (Node node = TestNode.start(TestTypes.chatty("chatty"))) {
            JobEngine e = node.engine();
            Job job = e.submit("chatty", params("{\"n\":20000}"), null);
            long v = 0;
            Job seen;
            do {
                seen = node.watch().awaitJob(job.id(), v, Duration.ofSeconds(10)).get().job();
                assertThat(seen.version()).isGreaterThan(v);
                v = seen.version();
            } while (!seen.isTerminal());
            assertThat(seen.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(seen.progress().done()).isEqualTo(20000);
            assertThat(seen).as("the last answer is the job's latest version").isEqualTo(e.get(job.id()).orElseThrow());
        }
    }
}
