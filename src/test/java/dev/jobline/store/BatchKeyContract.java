package dev.jobline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import dev.jobline.job.Progress;
import dev.jobline.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every JobStore must do with a batch's Idempotency-Key: the key row is stored in the
 * batch's own transaction, so there is never a batch without its key nor a key without its batch;
 * run for every store as a part of {@link JobStoreContract}.
 */
abstract class BatchKeyContract {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.000Z");

    abstract JobStore store();

    /** Another node's store over the same data where nodes share one, else the same store. */
    abstract JobStore otherNode();

    private static Job parent(String owner, int n) throws Exception {
        return new Job.Builder().id(UUID.randomUUID().toString()).type(Job.BATCH).state(JobState.RUNNING).version(1)
                .progress(new Progress(0, 0L, (long) n, null)).params(Json.MAPPER.readTree("{}")).createdAt(T0).startedAt(T0)
                .updatedAt(T0).owner(owner).build();
    }

    private static List<Job> children(Job parent, int n) throws Exception {
        List<Job> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Job.queued(UUID.randomUUID().toString(), "sleep", Json.MAPPER.readTree("{}"), parent.owner(), T0)
                    .with(b -> b.parent(parent.id())));
        }
        return out;
    }

    private static Admission key(String scope, String key, String hash, Job parent) {
        return new Admission(new IdempotencyKey(scope, key, hash, parent.id(), T0), null);
    }

    private List<Job> childrenOf(Job parent) {
        return store().list(new JobFilter(null, null, null, parent.id()), 100);
    }

    @Test
    void aBatchsKeyIsStoredWithItAndASecondBatchWithTheKeyStoresNothing() throws Exception {
        Job first = parent("alice", 2);
        Insert done = store().insertBatch(first, children(first, 2), key("alice", "k1", "h1", first));
        assertThat(done).isInstanceOf(Insert.Inserted.class);
        assertThat(store().findKey("alice", "k1")).hasValueSatisfying(k -> {
            assertThat(k.jobId()).isEqualTo(first.id());
            assertThat(k.requestHash()).isEqualTo("h1");
        });

        Job second = parent("alice", 3);
        List<Job> kids = children(second, 3);
        Insert again = store().insertBatch(second, kids, key("alice", "k1", "h2", second));
        assertThat(again).isInstanceOfSatisfying(Insert.KeyTaken.class, t -> {
            assertThat(t.key().jobId()).isEqualTo(first.id());
            assertThat(t.key().requestHash()).isEqualTo("h1");
        });
        assertThat(store().get(second.id())).isEmpty();
        for (Job k : kids) assertThat(store().get(k.id())).isEmpty();
        assertThat(childrenOf(first)).hasSize(2);
    }

    @Test
    void aBatchsKeyIsScopedToItsOwnerAndSharedWithSingleSubmits() throws Exception {
        Job mine = parent("alice", 1);
        assertThat(store().insertBatch(mine, children(mine, 1), key("alice", "k2", "h", mine))).isInstanceOf(Insert.Inserted.class);
        Job theirs = parent("bob", 1);
        assertThat(store().insertBatch(theirs, children(theirs, 1), key("bob", "k2", "h", theirs))).isInstanceOf(Insert.Inserted.class);
        assertThat(store().findKey("bob", "k2").orElseThrow().jobId()).isEqualTo(theirs.id());

        Job single = Job.queued(UUID.randomUUID().toString(), "sleep", Json.MAPPER.readTree("{}"), "alice", T0);
        assertThat(store().insert(single, new Admission(new IdempotencyKey("alice", "k2", "other", single.id(), T0), null)))
                .isInstanceOfSatisfying(Insert.KeyTaken.class, t -> assertThat(t.key().jobId()).isEqualTo(mine.id()));
        assertThat(store().get(single.id())).isEmpty();
    }

    @Test
    void aRefusedBatchLeavesNoKeyBehind() throws Exception {
        Job p = parent("alice", 2);
        List<Job> kids = children(p, 2);
        kids.set(1, kids.get(1).with(b -> b.after(List.of("no-such-id"))));
        assertThat(store().insertBatch(p, kids, key("alice", "k3", "h", p))).isEqualTo(new Insert.DependencyRefused(1, "no-such-id", "no such job"));
        assertThat(store().findKey("alice", "k3")).isEmpty();
        assertThat(store().get(p.id())).isEmpty();

        Job ok = parent("alice", 2);
        assertThat(store().insertBatch(ok, children(ok, 2), key("alice", "k3", "h", ok))).isInstanceOf(Insert.Inserted.class);
        assertThat(store().findKey("alice", "k3").orElseThrow().jobId()).isEqualTo(ok.id());
    }

    @Test
    void twoBatchesRacingForOneKeyStoreOneBatch() throws Exception {
        for (int round = 0; round < 5; round++) {
            String k = "race-" + round;
            Job a = parent("alice", 20);
            Job b = parent("alice", 20);
            List<Job> ka = children(a, 20);
            List<Job> kb = children(b, 20);
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Insert> fa = CompletableFuture.supplyAsync(() -> {
                await(go);
                return store().insertBatch(a, ka, key("alice", k, "h", a));
            });
            CompletableFuture<Insert> fb = CompletableFuture.supplyAsync(() -> {
                await(go);
                return otherNode().insertBatch(b, kb, key("alice", k, "h", b));
            });
            go.countDown();
            List<Insert> both = List.of(fa.get(30, TimeUnit.SECONDS), fb.get(30, TimeUnit.SECONDS));
            assertThat(both).filteredOn(i -> i instanceof Insert.Inserted).hasSize(1);
            assertThat(both).filteredOn(i -> i instanceof Insert.KeyTaken).hasSize(1);
            String winner = store().findKey("alice", k).orElseThrow().jobId();
            Job loser = winner.equals(a.id()) ? b : a;
            assertThat(store().get(winner)).isPresent();
            assertThat(store().get(loser.id())).isEmpty();
            assertThat(childrenOf(loser)).isEmpty();
            assertThat(store().list(new JobFilter(null, null, null, winner), 100)).hasSize(20);
        }
    }

    private static void await(CountDownLatch go) {
        try {
            if (!go.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("the race never started");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
