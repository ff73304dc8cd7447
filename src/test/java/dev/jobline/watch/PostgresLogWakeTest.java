package dev.jobline.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.Node;
import dev.jobline.TestNode;
import dev.jobline.engine.EngineOptions;
import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import dev.jobline.job.LogLine;
import dev.jobline.job.TestTypes;
import dev.jobline.pg.PostgresServer;
import dev.jobline.store.LogPage;
import dev.jobline.store.PostgresJobStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two nodes on one PostgreSQL: a line logged on the node running the job wakes a log waiter held on the other. */
@Timeout(120)
class PostgresLogWakeTest {
    @Test
    void aLineLoggedOnOneNodeAnswersALogLongPollHeldOnAnother() throws Exception {
        String url = PostgresServer.shared().newDatabase();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        EngineOptions options = TestNode.limits(100, 10);
        try (Node runs = TestNode.start(PostgresJobStore.open(url), options.withNode("runs", Duration.ofSeconds(30)), Clock.systemUTC(),
                    TestTypes.logging("talker", lines));
             Node waits = TestNode.start(PostgresJobStore.open(url), options.withNode("waits", Duration.ofSeconds(30)), Clock.systemUTC())) {
            Job job = runs.engine().submit("talker", null, null);
            await().atMost(Duration.ofSeconds(30)).until(() -> waits.engine().get(job.id()).orElseThrow().state() == JobState.RUNNING);
            CompletableFuture<LogPage> held = waits.watch().logs().await(job.id(), 0, 100, Duration.ofSeconds(60), null);
            lines.add("hello from the other node");
            LogPage page = held.get(30, TimeUnit.SECONDS);
            assertThat(page.lines()).extracting(LogLine::text).containsExactly("hello from the other node");
            CompletableFuture<LogPage> next = waits.watch().logs().await(job.id(), page.next(), 100, Duration.ofSeconds(60), null);
            lines.add("bye");
            lines.add("END");
            assertThat(next.get(30, TimeUnit.SECONDS).lines()).extracting(LogLine::text).contains("bye");
        }
    }
}
