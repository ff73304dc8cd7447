package dev.jobline.engine;

import dev.jobline.Node;
import dev.jobline.TestNode;
import dev.jobline.job.*;
import dev.jobline.job.SettableClock;
import dev.jobline.engine.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.store.JobFilter;
import dev.jobline.store.SqliteJobStore;
import dev.jobline.watch.Cursor;
import dev.jobline.watch.Listing;
import dev.jobline.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RetentionTest {
    @TempDir
    Path dir;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
    private final EngineOptions hourly = EngineOptions.defaults().withLimits(10_000, 100).withTimings(Duration.ofMillis(50), Duration.ofHours(1));

    @Test
    void finishedJobsAreDeletedAfterTheRetentionTimeAndShowAsDeleted() throws Exception {
        try (Node node = TestNode.start(SqliteJobStore.open(dir), hourly, clock)) {
            JobEngine e = node.engine();
            Job job = e.submit("sleep", Json.MAPPER.readTree("{\"seconds\":0}"), null);
            await().atMost(Duration.ofSeconds(20)).until(() -> e.get(job.id()).orElseThrow().isTerminal());
            Listing before = node.watch().list(JobFilter.ALL, 10);
            clock.advance(Duration.ofMinutes(59));
            assertThat(e.sweep()).isZero();
            clock.advance(Duration.ofMinutes(2));
            assertThat(e.sweep()).isEqualTo(1);
            assertThat(e.get(job.id())).isEmpty();
            Listing after = node.watch().awaitChanges(Cursor.parse(before.cursor()), JobFilter.ALL, 10, Duration.ofSeconds(5)).get();
            assertThat(after.reset()).isFalse();
            assertThat(after.deleted()).containsExactly(job.id());
        }
    }

    @Test
    void aSteadyStreamOfJobsLeavesNothingBehindOnceRetentionPasses() throws Exception {
        try (Node node = TestNode.start(SqliteJobStore.open(dir), hourly, clock)) {
            JobEngine e = node.engine();
            for (int round = 0; round < 5; round++) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 200; i++) ids.add(e.submit("sleep", Json.MAPPER.readTree("{\"seconds\":0,\"steps\":1}"), null).id());
                await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> e.get(id).orElseThrow().isTerminal()));
                clock.advance(Duration.ofHours(2));
                assertThat(e.sweep()).isEqualTo(200);
                assertThat(node.watch().list(JobFilter.ALL, 1000).jobs()).isEmpty();
            }
        }
    }
}
