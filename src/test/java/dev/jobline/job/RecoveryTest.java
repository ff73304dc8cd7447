package dev.jobline.job;

import static dev.jobline.job.EngineFixture.engine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.jobline.store.JobStore;
import dev.jobline.store.SqliteJobStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a starting engine does with the jobs a dead process left behind. */
@Timeout(60)
class RecoveryTest {
    @TempDir
    Path dir;

    private final Instant t0 = Instant.parse("2026-11-22T10:00:00Z");

    private Job stored(JobStore store, String type, JobState state, int attempt, long version) {
        Job j = Job.queued(UUID.randomUUID().toString(), type, JsonNodeFactory.instance.objectNode().put("seconds", 0), null, t0);
        store.insert(j);
        Job at = j;
        for (int i = 0; i < attempt; i++) at = at.started(t0);
        if (state == JobState.QUEUED) at = at.requeued(at.version() + 1, t0);
        return store.update(at.withVersion(version)).orElseThrow();
    }

    private static Job awaitTerminal(JobEngine e, String id) {
        await().atMost(Duration.ofSeconds(20)).until(() -> e.get(id).orElseThrow().isTerminal());
        return e.get(id).orElseThrow();
    }

    @Test
    void queuedJobsRunAndInterruptedOnesRunAgainUnlessTheyAreOutOfAttemptsOrDoNotRestart() {
        JobStore first = SqliteJobStore.open(dir);
        Job queued = stored(first, "sleep", JobState.QUEUED, 0, 5);
        Job interrupted = stored(first, "sleep", JobState.RUNNING, 1, 40);
        Job poison = stored(first, "sleep", JobState.RUNNING, 3, 70);
        Job fragile = stored(first, "fragile", JobState.RUNNING, 1, 9);
        Job orphan = stored(first, "gone-type", JobState.QUEUED, 0, 3);
        Job cancelling = stored(first, "sleep", JobState.RUNNING, 1, 12);
        first.update(cancelling.cancelling(t0));
        first.close();

        JobType fragileType = new JobType("fragile", "does not restart", null, (ctx, p) -> "never", false);
        try (JobEngine e = engine(SqliteJobStore.open(dir), EngineOptions.defaults(), Clock.systemUTC(), fragileType)) {
            Job q = awaitTerminal(e, queued.id());
            assertThat(q.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(q.attempt()).isEqualTo(1);

            Job again = awaitTerminal(e, interrupted.id());
            assertThat(again.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(again.attempt()).isEqualTo(2);
            assertThat(again.version()).isGreaterThan(40 + JobRunner.MAX_UNPERSISTED_VERSIONS);

            Job p = e.get(poison.id()).orElseThrow();
            assertThat(p.state()).isEqualTo(JobState.FAILED);
            assertThat(p.error().type()).isEqualTo("interrupted");
            assertThat(p.error().message()).contains("3 times");
            assertThat(p.version()).isGreaterThan(70);

            Job f = e.get(fragile.id()).orElseThrow();
            assertThat(f.state()).isEqualTo(JobState.FAILED);
            assertThat(f.error().message()).contains("do not restart");

            Job c = e.get(cancelling.id()).orElseThrow();
            assertThat(c.state()).as("an accepted cancel survives the crash").isEqualTo(JobState.CANCELLED);
            assertThat(c.error().type()).isEqualTo("cancelled");

            Job o = e.get(orphan.id()).orElseThrow();
            assertThat(o.state()).isEqualTo(JobState.FAILED);
            assertThat(o.error().type()).isEqualTo("unknown-type");
        }
    }

    @Test
    void aJobShownAtAVersionBeforeACrashNeverComesBackLower() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        JobType chatty = JobType.of("chatty-forever", "reports progress, then waits", null, (ctx, p) -> {
            for (int i = 1; i <= 500; i++) ctx.progress(i, 1000, null);
            never.await();
            return null;
        });
        JobStore store = SqliteJobStore.open(dir);
        JobEngine e = engine(store, EngineOptions.defaults(), Clock.systemUTC(), chatty);
        Job job = e.submit("chatty-forever", null, null);
        await().atMost(Duration.ofSeconds(20)).until(() -> e.get(job.id()).orElseThrow().progress().done() == 500);
        long seen = e.get(job.id()).orElseThrow().version();
        store.close(); // why: as if the process died here, with recent progress not yet written
        e.drain(Duration.ZERO); // stops the first engine's runner without writing anything more
        try (JobEngine after = engine(SqliteJobStore.open(dir), EngineOptions.defaults(), Clock.systemUTC(), chatty)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> after.get(job.id()).orElseThrow().attempt() == 2);
            assertThat(after.get(job.id()).orElseThrow().version()).isGreaterThan(seen);
            after.cancel(job.id());
        }
        never.countDown();
    }
}
