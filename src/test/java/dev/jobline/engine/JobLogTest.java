package dev.jobline.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.Node;
import dev.jobline.TestNode;
import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import dev.jobline.job.JobType;
import dev.jobline.job.LogLine;
import dev.jobline.job.TestTypes;
import dev.jobline.json.Json;
import dev.jobline.store.LogPage;
import dev.jobline.store.SqliteJobStore;
import dev.jobline.watch.Snapshot;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A running job's log through the engine and the embedded store: batched, bounded, kept across restarts. */
@Timeout(120)
class JobLogTest {
    @TempDir
    Path dir;

    private static Job awaitState(JobEngine e, String id, JobState state) {
        await().atMost(Duration.ofSeconds(60)).until(() -> e.get(id).orElseThrow().state() == state);
        return e.get(id).orElseThrow();
    }

    @Test
    void aJobsLogIsThereAfterARestartAndGoesWithTheJob() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        JobType talker = TestTypes.logging("talker", lines);
        String id;
        try (Node node = TestNode.start(SqliteJobStore.open(dir), EngineOptions.defaults(), Clock.systemUTC(), talker)) {
            id = node.engine().submit("talker", null, null).id();
            lines.add("one");
            lines.add("two\nthree");
            lines.add("END");
            awaitState(node.engine(), id, JobState.SUCCEEDED);
        }
        try (Node node = TestNode.start(SqliteJobStore.open(dir), EngineOptions.defaults(), Clock.systemUTC(), talker)) {
            LogPage page = node.watch().logs().await(id, 0, 100, Duration.ofSeconds(30), null).get(20, TimeUnit.SECONDS);
            assertThat(page.lines()).extracting(LogLine::text).containsExactly("one", "two", "three");
            assertThat(page.lines()).extracting(LogLine::n).containsExactly(1L, 2L, 3L);
            node.engine().delete(id);
            assertThat(node.store().readLog(id, 0, 100).lines()).isEmpty();
        }
    }

    @Test
    void aJobLogging100000LinesKeepsItsNewestAndAnotherJobsProgressStaysLive() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        JobType flood = JobType.of("flood", "logs 100,000 lines, then waits", null, (ctx, params) -> {
            for (int i = 1; i <= 100_000; i++) ctx.log(i % 2 == 0 ? "stderr" : "stdout", "line " + i);
            if (!gate.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
            return Map.of("ok", true);
        });
        EngineOptions options = TestNode.limits(100, 10);
        try (Node node = TestNode.start(SqliteJobStore.open(dir), options, Clock.systemUTC(), flood)) {
            JobEngine e = node.engine();
            Job flooding = e.submit("flood", null, null);
            awaitState(e, flooding.id(), JobState.RUNNING);
            Job other = e.submit("sleep", Json.MAPPER.readTree("{\"seconds\":1,\"steps\":10}"), null);
            Set<Double> seen = new HashSet<>();
            long version = 0;
            for (int round = 0; round < 1_000; round++) {
                Snapshot s = node.watch().awaitJob(other.id(), version, Duration.ofSeconds(30)).get(40, TimeUnit.SECONDS);
                version = s.job().version();
                seen.add(s.job().progress().percent());
                if (s.job().isTerminal()) break;
            }
            assertThat(e.get(other.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(seen).as("progress reports seen while the other job floods its log").hasSizeGreaterThan(2);
            assertThat(e.get(flooding.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);
            gate.countDown();
            awaitState(e, flooding.id(), JobState.SUCCEEDED);
            LogPage first = node.watch().logs().await(flooding.id(), 0, 10_000, Duration.ZERO, null).get();
            assertThat(first.dropped()).isEqualTo(90_000);
            assertThat(first.lines()).hasSize(10_000);
            assertThat(first.lines().get(0)).extracting(LogLine::n, LogLine::stream, LogLine::text).containsExactly(90_001L, "stdout", "line 90001");
            assertThat(first.next()).isEqualTo(100_000);
            for (int i = 0; i < first.lines().size(); i++) assertThat(first.lines().get(i).n()).isEqualTo(90_001L + i);
        }
    }
}
