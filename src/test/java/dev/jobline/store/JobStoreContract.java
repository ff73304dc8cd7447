package dev.jobline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.job.Job;
import dev.jobline.job.JobError;
import dev.jobline.job.JobState;
import dev.jobline.job.JobType;
import dev.jobline.job.Progress;
import dev.jobline.job.Transitions;
import dev.jobline.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every JobStore must do; one subclass per implementation. */
@Timeout(60)
public abstract class JobStoreContract {
    protected JobStore store;
    protected final Instant t0 = Instant.parse("2026-11-22T10:00:00.000Z");
    private static final List<String> SLEEP = List.of("sleep");

    protected abstract JobStore open() throws Exception;

    /** The callback deliveries' part of the contract, on the same store. */
    @Nested
    class Deliveries extends DeliveryContract {
        @Override
        JobStore store() {
            return store;
        }
    }

    /** The recurring jobs' part of the contract, on the same store (and another node's, where nodes share one). */
    @Nested
    class Schedules extends ScheduleContract {
        private JobStore other;

        @Override
        JobStore store() {
            return store;
        }

        @Override
        JobStore otherNode() {
            if (other == null) other = openOtherNode();
            return other == null ? store : other;
        }

        @AfterEach
        void closeOther() {
            if (other != null) other.close();
        }
    }

    /** The dependencies' and batches' part of the contract, on the same store. */
    @Nested
    class Flow extends FlowContract {
        @Override
        JobStore store() {
            return store;
        }
    }

    /** A batch's Idempotency-Key, on the same store (and another node's, where nodes share one). */
    @Nested
    class BatchKeys extends BatchKeyContract {
        private JobStore other;

        @Override
        JobStore store() {
            return store;
        }

        @Override
        JobStore otherNode() {
            if (other == null) other = openOtherNode();
            return other == null ? store : other;
        }

        @AfterEach
        void closeOther() {
            if (other != null) other.close();
        }
    }

    /** Due times, priorities and queue limits, on the same store. */
    @Nested
    class FlowClaims extends FlowClaimContract {
        @Override
        JobStore store() {
            return store;
        }
    }

    /** Another node's store over this store's data, for stores that nodes share; null (the default) for one a process owns. */
    protected JobStore openOtherNode() {
        return null;
    }

    @BeforeEach
    void openStore() throws Exception {
        store = open();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** Whether this store commits transactions (told to {@link JobStore#timeCommits}); memory does not. */
    protected boolean commits() {
        return true;
    }

    @Test
    void aStoreThatCommitsTimesEachCommitBeforeTheWriteReturns() throws Exception {
        List<long[]> timed = new CopyOnWriteArrayList<>();
        store.timeCommits((writes, nanos) -> timed.add(new long[] {writes, nanos}));
        Job j = insert(newJob("a"));
        run(j, "n1");
        if (!commits()) {
            assertThat(timed).isEmpty();
            return;
        }
        assertThat(timed).hasSizeGreaterThanOrEqualTo(2);
        assertThat(timed).allSatisfy(t -> {
            assertThat(t[0]).isPositive();
            assertThat(t[1]).isPositive();
        });
        assertThat(timed.stream().mapToLong(t -> t[0]).sum()).isGreaterThanOrEqualTo(2);
    }

    protected Job newJob(String type) throws Exception {
        return newJob(type, null);
    }

    protected Job newJob(String type, String owner) throws Exception {
        return Job.queued(UUID.randomUUID().toString(), type, Json.MAPPER.readTree("{\"seconds\":1}"), owner, t0);
    }

    protected Job insert(Job j) {
        return ((Insert.Inserted) store.insert(j, Admission.NONE)).job();
    }

    /** Claims one specific queued job (and only it) for {@code node}. */
    protected Job run(Job queued, String node) {
        return store.update(Transitions.claim(queued, node, t0), queued.version()).orElseThrow();
    }

    protected Job set(Job next, Job from) {
        return store.update(next, from.version()).orElseThrow();
    }

    @Test
    void insertAssignsGrowingPositionsAndGetReturnsTheJob() throws Exception {
        Job a = insert(newJob("sleep"));
        Job b = insert(newJob("sleep"));
        assertThat(b.seq()).isGreaterThan(a.seq());
        Job read = store.get(a.id()).orElseThrow();
        assertThat(read.id()).isEqualTo(a.id());
        assertThat(read.params()).isEqualTo(a.params());
        assertThat(read.createdAt()).isEqualTo(t0);
        assertThat(read.state()).isEqualTo(JobState.QUEUED);
        assertThat(read.version()).isEqualTo(1);
        assertThat(store.get("missing")).isEmpty();
    }

    @Test
    void aCompareAndSetThatLosesReturnsEmptyAndChangesNothing() throws Exception {
        Job a = insert(newJob("sleep"));
        Job running = run(a, "n1");
        Job progressed = set(Transitions.progress(running, new Progress(40, 4L, 10L, "four"), t0.plusSeconds(2)), running);
        assertThat(progressed.seq()).isGreaterThan(running.seq());
        assertThat(store.update(Transitions.progress(running, new Progress(90, null, null, "stale"), t0), running.version()))
                .as("a write from a stale copy").isEmpty();
        assertThat(store.update(Transitions.claim(a, "n2", t0), a.version())).as("a second claim of the same version").isEmpty();
        Job read = store.get(a.id()).orElseThrow();
        assertThat(read.version()).isEqualTo(progressed.version());
        assertThat(read.progress()).isEqualTo(new Progress(40, 4L, 10L, "four"));
        assertThat(read.node()).isEqualTo("n1");
        assertThat(read.attempt()).isEqualTo(1);
        assertThat(store.update(Transitions.cancel(newJob("sleep"), t0), 1)).as("a job that is not there").isEmpty();
    }

    @Test
    void terminalStatesKeepResultAndErrorAndLeaveTheirNode() throws Exception {
        Job a = run(insert(newJob("sleep")), "n1");
        Job b = run(insert(newJob("sleep")), "n1");
        set(Transitions.finish(a, null, Json.MAPPER.readTree("{\"slept\":1}"), null, t0.plusSeconds(3)), a);
        set(Transitions.finish(b, null, null, new JobError("no", "boom"), t0.plusSeconds(3)), b);
        Job sa = store.get(a.id()).orElseThrow();
        assertThat(sa.result().get("slept").asInt()).isEqualTo(1);
        assertThat(sa.finishedAt()).isEqualTo(t0.plusSeconds(3));
        assertThat(sa.progress().percent()).isEqualTo(100.0);
        assertThat(sa.node()).isNull();
        assertThat(store.get(b.id()).orElseThrow().error()).isEqualTo(new JobError("no", "boom"));
    }

    @Test
    void listIsNewestFirstAndFiltersByStateAndType() throws Exception {
        Job a = insert(newJob("sleep"));
        Job b = insert(newJob("other"));
        Job c = insert(newJob("sleep"));
        run(c, "n1");
        assertThat(store.list(JobFilter.ALL, 10)).extracting(Job::id).containsExactly(c.id(), b.id(), a.id());
        assertThat(store.list(JobFilter.ALL, 2)).extracting(Job::id).containsExactly(c.id(), b.id());
        assertThat(store.list(new JobFilter(null, "sleep", null), 10)).extracting(Job::id).containsExactly(c.id(), a.id());
        assertThat(store.list(new JobFilter(Set.of(JobState.RUNNING), null, null), 10)).extracting(Job::id).containsExactly(c.id());
    }

    @Test
    void changesSinceGivesEachChangedJobOnceAndTheDeletedIds() throws Exception {
        Job a = insert(newJob("sleep"));
        Job gone = run(insert(newJob("sleep")), "n1");
        set(Transitions.finish(gone, null, null, null, t0), gone);
        long cursor = awaitPosition();
        Job b = insert(newJob("sleep"));
        Job ra = run(a, "n1");
        set(Transitions.progress(ra, new Progress(50, null, null, null), t0), ra);
        assertThat(store.delete(gone.id(), t0)).isEqualTo(JobStore.Deletion.DELETED);
        assertThat(store.delete(gone.id(), t0)).isEqualTo(JobStore.Deletion.MISSING);
        ChangeSet cs = store.changesSince(cursor, 100);
        assertThat(cs.jobs()).extracting(Job::id).containsExactly(b.id(), a.id());
        assertThat(cs.jobs().get(1).progress().percent()).isEqualTo(50.0);
        assertThat(cs.deleted()).containsExactly(new ChangeSet.Deleted(gone.id(), null));
        assertThat(store.changesSince(cs.cursor(), 100).isEmpty()).isTrue();
        assertThat(store.get(gone.id())).isEmpty();
    }

    /** The feed position once this node's subscribers have heard of every write so far (at once, or soon where the feed is read). */
    protected long awaitPosition() {
        ChangeSet all = store.changesSince(0, 100_000);
        long target = all == null ? 0 : all.cursor();
        await().atMost(Duration.ofSeconds(10)).until(() -> store.lastPosition() >= target);
        return store.lastPosition();
    }

    @Test
    void deleteRemovesOnlyTerminalJobsAndTombstonesKeepTheOwner() throws Exception {
        Job mine = run(insert(newJob("sleep", "alice")), "n1");
        assertThat(store.delete(mine.id(), t0)).isEqualTo(JobStore.Deletion.NOT_TERMINAL);
        set(Transitions.finish(mine, null, null, null, t0), mine);
        long cursor = awaitPosition();
        assertThat(store.delete(mine.id(), t0)).isEqualTo(JobStore.Deletion.DELETED);
        assertThat(store.changesSince(cursor, 10).deleted()).containsExactly(new ChangeSet.Deleted(mine.id(), "alice"));
        assertThat(store.get(mine.id())).isEmpty();
        assertThat(store.delete("missing", t0)).isEqualTo(JobStore.Deletion.MISSING);
    }

    @Test
    void changesSinceHonoursTheLimitAndResumesFromItsCursor() throws Exception {
        long start = awaitPosition();
        for (int i = 0; i < 5; i++) insert(newJob("sleep"));
        ChangeSet first = store.changesSince(start, 3);
        assertThat(first.jobs()).hasSize(3);
        ChangeSet rest = store.changesSince(first.cursor(), 3);
        assertThat(rest.jobs()).hasSize(2);
        assertThat(store.changesSince(rest.cursor(), 3).isEmpty()).isTrue();
    }

    @Test
    void aCursorFromTheFutureIsNotAnswered() {
        assertThat(store.changesSince(Long.MAX_VALUE / 2, 10)).isNull();
    }

    @Test
    void deleteFinishedBeforeRemovesOnlyOldTerminalJobs() throws Exception {
        Job old = run(insert(newJob("sleep")), "n1");
        Job recent = run(insert(newJob("sleep")), "n1");
        run(insert(newJob("sleep")), "n1");
        set(Transitions.finish(old, null, null, null, t0.plusSeconds(1)), old);
        set(Transitions.finish(recent, null, null, null, t0.plusSeconds(100)), recent);
        long cursor = awaitPosition();
        assertThat(store.deleteFinishedBefore(t0.plusSeconds(50), t0.plusSeconds(60), 100)).containsExactly(old.id());
        assertThat(store.get(old.id())).isEmpty();
        assertThat(store.get(recent.id())).isPresent();
        assertThat(store.changesSince(cursor, 10).deleted()).extracting(ChangeSet.Deleted::id).containsExactly(old.id());
    }

    @Test
    void aKeyIsStoredWithItsJobOnceAndTheFirstRequestWins() throws Exception {
        Job first = newJob("sleep");
        IdempotencyKey k = new IdempotencyKey("alice", "key-1", "hash-1", first.id(), t0);
        assertThat(store.insert(first, new Admission(k, null))).isInstanceOf(Insert.Inserted.class);
        assertThat(store.get(first.id())).isPresent();
        Job second = newJob("sleep");
        Insert again = store.insert(second, new Admission(new IdempotencyKey("alice", "key-1", "hash-2", second.id(), t0), null));
        assertThat(again).isInstanceOfSatisfying(Insert.KeyTaken.class, taken -> {
            assertThat(taken.key().jobId()).isEqualTo(first.id());
            assertThat(taken.key().requestHash()).isEqualTo("hash-1");
        });
        assertThat(store.get(second.id())).isEmpty();
        assertThat(store.findKey("bob", "key-1")).isEmpty();
        assertThat(store.findKey("alice", "key-1").orElseThrow().jobId()).isEqualTo(first.id());
    }

    @Test
    void theSubmitRateIsABucketOfTwiceTheRateKeptWithTheJobs() throws Exception {
        Admission.Rate now = new Admission.Rate("alice", 1, t0);
        assertThat(store.insert(newJob("sleep", "alice"), new Admission(null, now))).isInstanceOf(Insert.Inserted.class);
        assertThat(store.insert(newJob("sleep", "alice"), new Admission(null, now))).isInstanceOf(Insert.Inserted.class);
        Job third = newJob("sleep", "alice");
        assertThat(store.insert(third, new Admission(null, now)))
                .isInstanceOfSatisfying(Insert.RateLimited.class, r -> assertThat(r.waitSeconds()).isEqualTo(1.0));
        assertThat(store.get(third.id())).isEmpty();
        assertThat(store.insert(newJob("sleep", "bob"), new Admission(null, new Admission.Rate("bob", 1, t0)))).isInstanceOf(Insert.Inserted.class);
        Admission.Rate later = new Admission.Rate("alice", 1, t0.plusMillis(1000));
        assertThat(store.insert(newJob("sleep", "alice"), new Admission(null, later))).isInstanceOf(Insert.Inserted.class);
        assertThat(store.insert(newJob("sleep", "alice"), new Admission(null, later))).isInstanceOf(Insert.RateLimited.class);
    }

    @Test
    void forgetBeforeDropsOldKeysAndTombstonesAndOldCursorsThenNeedAReset() throws Exception {
        Job a = run(insert(newJob("sleep")), "n1");
        store.insert(newJob("sleep"), new Admission(new IdempotencyKey("", "old", "h", "x", t0), null));
        long before = awaitPosition();
        set(Transitions.finish(a, null, null, null, t0), a);
        store.delete(a.id(), t0);
        store.forgetBefore(t0.plusSeconds(1));
        assertThat(store.findKey("", "old")).isEmpty();
        assertThat(store.changesSince(before, 10)).isNull();
        assertThat(store.changesSince(awaitPosition(), 10)).isNotNull();
    }

    @Test
    void activeListsQueuedAndRunningJobsOldestFirst() throws Exception {
        Job a = insert(newJob("sleep"));
        Job b = run(insert(newJob("sleep")), "n1");
        Job c = run(insert(newJob("sleep")), "n1");
        set(Transitions.finish(c, null, null, null, t0), c);
        assertThat(store.active()).extracting(Job::id).containsExactly(a.id(), b.id());
    }

    @Test
    void aClaimTakesQueuedJobsOfItsTypesOldestFirstAsANewAttempt() throws Exception {
        Job a = insert(newJob("sleep"));
        Job other = insert(newJob("other"));
        Job b = insert(newJob("sleep"));
        List<Job> claimed = store.claim("n1", SLEEP, 10, t0.plusSeconds(1));
        assertThat(claimed).extracting(Job::id).containsExactly(a.id(), b.id());
        assertThat(claimed).allSatisfy(j -> {
            assertThat(j.state()).isEqualTo(JobState.RUNNING);
            assertThat(j.node()).isEqualTo("n1");
            assertThat(j.attempt()).isEqualTo(1);
            assertThat(j.startedAt()).isEqualTo(t0.plusSeconds(1));
            assertThat(j.version()).isEqualTo(2);
        });
        assertThat(store.claim("n2", SLEEP, 10, t0)).isEmpty();
        assertThat(store.get(other.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
        assertThat(store.claim("n2", List.of("sleep", "other"), 1, t0)).extracting(Job::id).containsExactly(other.id());
    }

    @Test
    void concurrentClaimsNeverGetTheSameJob() throws Exception {
        for (int i = 0; i < 300; i++) insert(newJob("sleep"));
        Set<String> seen = Collections.synchronizedSet(new HashSet<>());
        List<String> all = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> claimers = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            String node = "n" + n;
            claimers.add(CompletableFuture.runAsync(() -> {
                List<Job> got;
                do {
                    got = store.claim(node, SLEEP, 7, t0);
                    for (Job j : got) {
                        all.add(j.id());
                        seen.add(j.id());
                    }
                } while (!got.isEmpty());
            }));
        }
        CompletableFuture.allOf(claimers.toArray(CompletableFuture[]::new)).join();
        assertThat(all).hasSize(300);
        assertThat(seen).hasSize(300);
    }

    @Test
    void aLostLeaseIsTakenOverAsTheNextAttempt() throws Exception {
        Job queued = insert(newJob("sleep"));
        Job running = store.claim("dead", SLEEP, 1, t0).get(0);
        Job back = set(Transitions.takeover(running, JobType.of("sleep", "", null, (c, p) -> null), 3, "node dead stopped", t0), running);
        assertThat(back.state()).isEqualTo(JobState.QUEUED);
        assertThat(back.node()).isNull();
        Job again = store.claim("alive", SLEEP, 1, t0).get(0);
        assertThat(again.id()).isEqualTo(queued.id());
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.node()).isEqualTo("alive");
    }

    @Test
    void subscribersHearEveryCommitOnceInFeedOrder() throws Exception {
        List<FeedListener.Batch> heard = new CopyOnWriteArrayList<>();
        store.subscribe(heard::add);
        Job a = insert(newJob("sleep"));
        Job r = run(a, "n1");
        Job b = insert(newJob("sleep"));
        set(Transitions.finish(r, null, null, null, t0), r);
        store.delete(a.id(), t0);
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.stream().anyMatch(x -> !x.deleted().isEmpty()));
        long last = -1;
        List<String> versions = new ArrayList<>();
        for (FeedListener.Batch x : heard) {
            assertThat(x.position()).isGreaterThan(last);
            last = x.position();
            for (Job j : x.jobs()) {
                assertThat(j.seq()).isLessThanOrEqualTo(x.position());
                versions.add(j.id() + "@" + j.version());
            }
        }
        assertThat(versions).contains(b.id() + "@1").doesNotHaveDuplicates();
        assertThat(store.lastPosition()).isEqualTo(last);
    }

    @Test
    void nodesRecordTheirHeartbeatsAndLeave() {
        store.heartbeat(new NodeInfo("a", t0, t0, 0, false, Map.of()));
        store.heartbeat(new NodeInfo("a", t0, t0.plusSeconds(5), 3, true, Map.of("alice", 2)));
        store.heartbeat(new NodeInfo("b", t0, t0, 1, false, Map.of()));
        assertThat(store.nodes()).containsExactly(new NodeInfo("a", t0, t0.plusSeconds(5), 3, true, Map.of("alice", 2)),
                new NodeInfo("b", t0, t0, 1, false, Map.of()));
        store.removeNode("a");
        assertThat(store.nodes()).extracting(NodeInfo::id).containsExactly("b");
    }
}
