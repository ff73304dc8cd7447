package dev.jobline.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.jobline.Node;
import dev.jobline.TestNode;
import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import dev.jobline.job.JobType;
import dev.jobline.job.Transitions;
import dev.jobline.store.Admission;
import dev.jobline.store.Insert;
import dev.jobline.store.JobStore;
import dev.jobline.store.NodeInfo;
import dev.jobline.store.SqliteJobStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a starting node does with the jobs a dead process left behind: the reaper's first pass. */
@Timeout(60)
class RecoveryTest {
    @TempDir
    Path dir;

    private final Instant t0 = Instant.parse("2026-11-22T10:00:00Z");

    /** A job as a dead node left it: queued, or running there after {@code attempts} claims. */
    private Job stored(JobStore store, String type, int attempts, boolean running) {
        Job j = Job.queued(UUID.randomUUID().toString(), type, JsonNodeFactory.instance.objectNode().put("seconds", 0), null, t0);
        j = ((Insert.Inserted) store.insert(j, Admission.NONE)).job();
        for (int i = 0; i < attempts; i++) {
            Job claimed = store.update(Transitions.claim(j, "dead-node", t0), j.version()).orElseThrow();
            j = i == attempts - 1 && running ? claimed
                    : store.update(Transitions.takeover(claimed, JobType.of(type, "", null, (c, p) -> null), 99, "test", t0), claimed.version()).orElseThrow();
        }
        return j;
    }

    private static Job awaitTerminal(JobEngine e, String id) {
        await().atMost(Duration.ofSeconds(20)).until(() -> e.get(id).orElseThrow().isTerminal());
        return e.get(id).orElseThrow();
    }

    @Test
    void queuedJobsRunAndInterruptedOnesRunAgainUnlessTheyAreOutOfAttemptsOrDoNotRestart() {
        JobStore first = SqliteJobStore.open(dir);
        first.heartbeat(new NodeInfo("dead-node", t0, Instant.now(), 4, false, Map.of())); // why: fresh, yet from a previous life
        Job queued = stored(first, "sleep", 0, false);
        Job interrupted = stored(first, "sleep", 1, true);
        Job poison = stored(first, "sleep", 3, true);
        Job fragile = stored(first, "fragile", 1, true);
        Job orphan = stored(first, "gone-type", 0, false);
        Job cancelling = stored(first, "sleep", 1, true);
        first.update(Transitions.cancel(cancelling, t0), cancelling.version()).orElseThrow();
        first.close();

        JobType fragileType = new JobType("fragile", "does not restart", null, (ctx, p) -> "never", false);
        try (Node node = TestNode.start(SqliteJobStore.open(dir), EngineOptions.defaults(), Clock.systemUTC(), fragileType)) {
            JobEngine e = node.engine();
            Job q = awaitTerminal(e, queued.id());
            assertThat(q.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(q.attempt()).isEqualTo(1);

            Job again = awaitTerminal(e, interrupted.id());
            assertThat(again.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(again.attempt()).isEqualTo(2);
            assertThat(again.version()).isGreaterThan(interrupted.version());

            Job p = e.get(poison.id()).orElseThrow();
            assertThat(p.state()).isEqualTo(JobState.FAILED);
            assertThat(p.error().type()).isEqualTo("interrupted");
            assertThat(p.error().message()).contains("3 times");
            assertThat(p.version()).isGreaterThan(poison.version());

            Job f = e.get(fragile.id()).orElseThrow();
            assertThat(f.state()).isEqualTo(JobState.FAILED);
            assertThat(f.error().message()).contains("do not restart");

            Job c = e.get(cancelling.id()).orElseThrow();
            assertThat(c.state()).as("an accepted cancel survives the crash").isEqualTo(JobState.CANCELLED);
            assertThat(c.error().type()).isEqualTo("cancelled");

            Job o = e.get(orphan.id()).orElseThrow();
            assertThat(o.state()).isEqualTo(JobState.FAILED);
            assertThat(o.error().type()).isEqualTo("unknown-type");
            assertThat(node.store().nodes()).extracting(NodeInfo::id).doesNotContain("dead-node");
        }
    }

    @Test
    void aJobSeenAtAVersionBeforeACrashNeverComesBackLower() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        JobType chatty = JobType.of("chatty-forever", "reports progress, then waits", null, (ctx, p) -> {
            for (int i = 1; i <= 500; i++) ctx.progress(i, 1000, null);
            never.await();
            return null;
        });
        JobStore store = SqliteJobStore.open(dir);
        Node before = TestNode.start(store, TestNode.limits(100, 10), Clock.systemUTC(), chatty);
        Job job = before.engine().submit("chatty-forever", null, null);
        await().atMost(Duration.ofSeconds(20)).until(() -> before.engine().get(job.id()).orElseThrow().progress().done() == 500);
        long seen = before.engine().get(job.id()).orElseThrow().version();
        store.close(); // why: as if the process died here: nothing more reaches the file
        before.engine().drain(Duration.ZERO);
        try (Node after = TestNode.start(SqliteJobStore.open(dir), EngineOptions.defaults(), Clock.systemUTC(), chatty)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> after.engine().get(job.id()).orElseThrow().attempt() == 2);
            assertThat(after.engine().get(job.id()).orElseThrow().version()).isGreaterThan(seen);
            after.engine().cancel(job.id());
        }
        never.countDown();
    }
}
