package dev.jobline.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jobline.Node;
import dev.jobline.TestNode;
import dev.jobline.engine.Quotas;
import dev.jobline.job.Job;
import dev.jobline.job.JobException;
import dev.jobline.job.JobState;
import dev.jobline.job.LogLine;
import dev.jobline.job.TestTypes;
import dev.jobline.store.LogPage;
import dev.jobline.store.MemoryJobStore;
import dev.jobline.time.Timers;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Log long-polls count as waiters, leave when their client does, and are answered by the job's end and by a drain. */
@Timeout(60)
class LogWatchTest {
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private Node start(Quotas quotas) {
        return TestNode.start(new MemoryJobStore(), TestNode.limits(100, 10), quotas, Timers.system(Clock.systemUTC()),
                TestTypes.logging("talker", lines));
    }

    private static Job running(Node node) {
        Job job = node.engine().submit("talker", null, "alice");
        await().atMost(Duration.ofSeconds(20)).until(() -> node.engine().get(job.id()).orElseThrow().state() == JobState.RUNNING);
        return job;
    }

    @Test
    void aLogWaiterCountsAgainstTheOwnersQuotaAndLeavesWhenItsClientGoesAway() throws Exception {
        try (Node node = start(new Quotas(null, null, 1))) {
            Job job = running(node);
            CompletableFuture<LogPage> held = node.watch().logs().await(job.id(), 0, 100, Duration.ofSeconds(30), "alice");
            assertThat(node.watch().waiting()).isEqualTo(1);
            assertThat(node.watch().waitersByOwner()).containsEntry("alice", 1);
            assertThatThrownBy(() -> node.watch().awaitJob(job.id(), job.version() + 10, Duration.ofSeconds(30), "alice"))
                    .isInstanceOf(JobException.Full.class);
            held.cancel(false);
            await().atMost(Duration.ofSeconds(10)).until(() -> node.watch().waiting() == 0);
            assertThat(node.watch().waitersByOwner()).doesNotContainKey("alice");
            lines.add("END");
        }
    }

    @Test
    void aLogWaiterIsAnsweredByTheJobsEndWithItsLastLines() throws Exception {
        try (Node node = start(Quotas.none())) {
            Job job = running(node);
            CompletableFuture<LogPage> held = node.watch().logs().await(job.id(), 0, 100, Duration.ofSeconds(30), null);
            lines.add("last words");
            lines.add("END");
            LogPage page = held.get(20, TimeUnit.SECONDS);
            assertThat(page.lines()).extracting(LogLine::text).contains("last words");
            await().atMost(Duration.ofSeconds(20)).until(() -> node.engine().get(job.id()).orElseThrow().isTerminal());
            LogPage after = node.watch().logs().await(job.id(), page.next(), 100, Duration.ofSeconds(30), null).get(20, TimeUnit.SECONDS);
            assertThat(after.lines()).isEmpty();
        }
    }

    @Test
    void aDrainAnswersEveryLogWaiterAtOnce() throws Exception {
        Node node = start(Quotas.none());
        Job job = running(node);
        CompletableFuture<LogPage> held = node.watch().logs().await(job.id(), 0, 100, Duration.ofSeconds(50), null);
        node.watch().releaseAll();
        assertThat(held.get(20, TimeUnit.SECONDS).lines()).isEmpty();
        assertThatThrownBy(() -> node.watch().logs().await(job.id(), 0, 100, Duration.ofSeconds(50), null))
                .isInstanceOf(JobException.Draining.class);
        lines.add("END");
        node.close();
    }
}
