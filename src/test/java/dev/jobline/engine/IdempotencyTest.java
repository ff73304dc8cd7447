package dev.jobline.engine;

import dev.jobline.Node;
import dev.jobline.TestNode;
import dev.jobline.job.*;
import dev.jobline.engine.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobline.store.SqliteJobStore;
import dev.jobline.json.Json;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class IdempotencyTest {
    @TempDir
    Path dir;

    @Test
    void theSameKeyAndRequestGiveTheSameJobAcrossRestarts() throws Exception {
        String id;
        try (Node node = TestNode.start(SqliteJobStore.open(dir), EngineOptions.defaults(), Clock.systemUTC())) {
            JobEngine e = node.engine();
            id = e.submit("sleep", Json.MAPPER.readTree("{\"seconds\":0}"), null, "key-1", "hash-a").id();
            assertThat(e.submit("sleep", Json.MAPPER.readTree("{\"seconds\":0}"), null, "key-1", "hash-a").id()).isEqualTo(id);
        }
        try (Node node = TestNode.start(SqliteJobStore.open(dir), EngineOptions.defaults(), Clock.systemUTC())) {
            JobEngine e = node.engine();
            assertThat(e.submit("sleep", Json.MAPPER.readTree("{\"seconds\":0}"), null, "key-1", "hash-a").id()).isEqualTo(id);
            assertThatThrownBy(() -> e.submit("sleep", Json.MAPPER.readTree("{\"seconds\":1}"), null, "key-1", "hash-b"))
                    .isInstanceOf(JobException.KeyReused.class);
            assertThat(e.submit("sleep", null, "someone-else", "key-1", "hash-a").id()).isNotEqualTo(id);
        }
    }

    @Test
    void aSecondRequestWithAKeyStillInFlightIsAConflict() throws Exception {
        var gate = new java.util.concurrent.CountDownLatch(1);
        var entered = new java.util.concurrent.CountDownLatch(1);
        var slowStore = new GatedStore(new dev.jobline.store.MemoryJobStore(), entered, gate);
        try (Node node = TestNode.start(slowStore, EngineOptions.defaults(), Clock.systemUTC())) {
            JobEngine e = node.engine();
            var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> e.submit("sleep", null, null, "k", "h"));
            entered.await();
            assertThatThrownBy(() -> e.submit("sleep", null, null, "k", "h")).isInstanceOf(JobException.Conflict.class)
                    .hasMessageContaining("still being handled");
            gate.countDown();
            String id = first.join().id();
            assertThat(e.submit("sleep", null, null, "k", "h").id()).isEqualTo(id);
        }
    }

    private static java.util.List<Batches.Item> two() throws Exception {
        return java.util.List.of(new Batches.Item("sleep", Json.MAPPER.readTree("{\"seconds\":0}"), null, null),
                new Batches.Item("sleep", Json.MAPPER.readTree("{\"seconds\":0}"), null, null));
    }

    @Test
    void aBatchsKeyGivesTheSameParentAcrossRestartsAndOnlyForTheSameRequest() throws Exception {
        String id;
        try (Node node = TestNode.start(SqliteJobStore.open(dir), EngineOptions.defaults(), Clock.systemUTC())) {
            JobEngine e = node.engine();
            id = e.submitBatch(two(), null, null, "batch-1", "hash-a").id();
            assertThat(e.submitBatch(two(), null, null, "batch-1", "hash-a").id()).isEqualTo(id);
        }
        try (Node node = TestNode.start(SqliteJobStore.open(dir), EngineOptions.defaults(), Clock.systemUTC())) {
            JobEngine e = node.engine();
            assertThat(e.submitBatch(two(), null, null, "batch-1", "hash-a").id()).isEqualTo(id);
            assertThat(node.store().list(dev.jobline.store.JobFilter.ALL, 100).stream().filter(j -> Job.BATCH.equals(j.type()))).hasSize(1);
            assertThatThrownBy(() -> e.submitBatch(two(), null, null, "batch-1", "hash-b")).isInstanceOf(JobException.KeyReused.class);
            assertThatThrownBy(() -> e.submit("sleep", null, null, "batch-1", "hash-c")).isInstanceOf(JobException.KeyReused.class);
            assertThat(e.submitBatch(two(), "someone-else", null, "batch-1", "hash-a").id()).isNotEqualTo(id);
        }
    }

    @Test
    void aSecondBatchWithAKeyStillInFlightIsAConflict() throws Exception {
        var gate = new java.util.concurrent.CountDownLatch(1);
        var entered = new java.util.concurrent.CountDownLatch(1);
        var slowStore = new GatedStore(new dev.jobline.store.MemoryJobStore(), entered, gate);
        try (Node node = TestNode.start(slowStore, EngineOptions.defaults(), Clock.systemUTC())) {
            JobEngine e = node.engine();
            var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return e.submitBatch(two(), null, null, "k", "h");
                } catch (Exception x) {
                    throw new IllegalStateException(x);
                }
            });
            entered.await();
            assertThatThrownBy(() -> e.submitBatch(two(), null, null, "k", "h")).isInstanceOf(JobException.Conflict.class)
                    .hasMessageContaining("still being handled");
            assertThatThrownBy(() -> e.submit("sleep", null, null, "k", "h")).isInstanceOf(JobException.Conflict.class);
            gate.countDown();
            String id = first.join().id();
            assertThat(e.submitBatch(two(), null, null, "k", "h").id()).isEqualTo(id);
        }
    }
}
