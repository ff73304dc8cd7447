package dev.jobline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.job.Job;
import dev.jobline.job.JobError;
import dev.jobline.job.JobState;
import dev.jobline.job.Progress;
import dev.jobline.job.Transitions;
import dev.jobline.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What every JobStore must do with dependencies ({@code after}) and batches; run for every store as a part of {@link JobStoreContract}. */
abstract class FlowContract {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.000Z");
    private static final List<String> SLEEP = List.of("sleep");

    abstract JobStore store();

    private static Job queued(String owner, String... after) throws Exception {
        return Job.queued(UUID.randomUUID().toString(), "sleep", Json.MAPPER.readTree("{}"), owner, T0)
                .with(b -> b.after(after.length == 0 ? null : List.of(after)));
    }

    private Job insert(Job j) {
        Insert done = store().insert(j, Admission.NONE);
        assertThat(done).isInstanceOf(Insert.Inserted.class);
        return ((Insert.Inserted) done).job();
    }

    private Job claimOne(Job j) {
        Job fresh = store().get(j.id()).orElseThrow();
        return store().update(Transitions.claim(fresh, "n1", T0), fresh.version()).orElseThrow();
    }

    private Job end(Job running, boolean fail) throws Exception {
        Job done = Transitions.finish(running, null, Json.MAPPER.readTree("{}"), fail ? new JobError("no", "error") : null, T0.plusSeconds(1));
        return store().update(done, running.version()).orElseThrow();
    }

    private Job get(Job j) {
        return store().get(j.id()).orElseThrow();
    }

    private List<String> claimAll() {
        return store().claim("n1", SLEEP, 100, T0).stream().map(Job::id).toList();
    }

    @Test
    void aJobWaitsUntilEveryDependencySucceededAndOnlyThenCanBeClaimed() throws Exception {
        Job a = insert(queued(null));
        Job b = insert(queued(null));
        Job c = insert(queued(null, a.id(), b.id()));
        assertThat(c.after()).containsExactly(a.id(), b.id());
        assertThat(c.waitingFor()).containsExactly(a.id(), b.id());
        List<FeedListener.Batch> told = new CopyOnWriteArrayList<>();
        store().subscribe(told::add);

        Job ra = claimOne(a);
        Job rb = claimOne(b);
        assertThat(claimAll()).isEmpty();
        end(ra, false);
        Job half = get(c);
        assertThat(half.state()).isEqualTo(JobState.QUEUED);
        assertThat(half.waitingFor()).containsExactly(b.id());
        assertThat(half.version()).isGreaterThan(c.version());
        assertThat(claimAll()).isEmpty();

        told.clear();
        end(rb, false);
        Job ready = get(c);
        assertThat(ready.waitingFor()).isNull();
        assertThat(ready.after()).containsExactly(a.id(), b.id());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(told).anySatisfy(batch -> assertThat(batch.jobs()).extracting(Job::id).contains(b.id(), c.id())));
        assertThat(claimAll()).containsExactly(c.id());
    }

    @Test
    void aDependencyThatAlreadySucceededIsNotAwaitedAndOneThatFailedOrIsUnknownRefusesTheJob() throws Exception {
        Job ok = end(claimOne(insert(queued(null))), false);
        Job bad = end(claimOne(insert(queued(null))), true);
        Job other = insert(queued("alice"));
        Job free = insert(queued(null, ok.id()));
        assertThat(free.waitingFor()).isNull();
        assertThat(claimAll()).containsExactlyInAnyOrder(free.id(), other.id());

        assertThat(store().insert(queued(null, bad.id()), Admission.NONE))
                .isEqualTo(new Insert.DependencyRefused(-1, bad.id(), "already failed"));
        assertThat(store().insert(queued(null, "no-such-id"), Admission.NONE))
                .isEqualTo(new Insert.DependencyRefused(-1, "no-such-id", "no such job"));
        assertThat(store().insert(queued("bob", other.id()), Admission.NONE))
                .isEqualTo(new Insert.DependencyRefused(-1, other.id(), "no such job"));
        assertThat(store().insert(queued("alice", other.id()), Admission.NONE)).isInstanceOf(Insert.Inserted.class);
    }

    @Test
    void aFailedOrCancelledDependencyCancelsItsDependentsAndTheirsInTheSameWrite() throws Exception {
        Job a = insert(queued(null));
        Job b = insert(queued(null, a.id()));
        Job c = insert(queued(null, b.id()));
        Job d = insert(queued(null));
        Job e = insert(queued(null, d.id()));

        end(claimOne(a), true);
        Job cb = get(b);
        assertThat(cb.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cb.error().type()).isEqualTo("dependency");
        assertThat(cb.error().message()).contains(a.id()).contains("failed");
        assertThat(cb.waitingFor()).isNull();
        Job cc = get(c);
        assertThat(cc.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cc.error().message()).contains(b.id()).contains("cancelled");

        Job cd = get(d);
        store().update(Transitions.cancel(cd, T0), cd.version()).orElseThrow();
        assertThat(get(e).state()).isEqualTo(JobState.CANCELLED);
        assertThat(get(e).error().message()).contains(d.id());
        assertThat(claimAll()).isEmpty();
    }

    @Test
    void aCancelledWaitingJobLeavesNothingBehindForItsDependency() throws Exception {
        Job a = insert(queued(null));
        Job b = insert(queued(null, a.id()));
        Job cb = get(b);
        store().update(Transitions.cancel(cb, T0), cb.version()).orElseThrow();
        end(claimOne(a), false);
        assertThat(get(b).state()).isEqualTo(JobState.CANCELLED);
        assertThat(get(b).error().type()).isEqualTo("cancelled");
    }

    private Job batchParent(int n, String owner) throws Exception {
        return new Job.Builder().id(UUID.randomUUID().toString()).type(Job.BATCH).state(JobState.RUNNING).version(1)
                .progress(new Progress(0, 0L, (long) n, null)).params(Json.MAPPER.readTree("{}")).createdAt(T0).startedAt(T0)
                .updatedAt(T0).owner(owner).build();
    }

    private List<Job> children(Job parent, int n) throws Exception {
        List<Job> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(queued(parent.owner()).with(b -> b.parent(parent.id())));
        return out;
    }

    @Test
    void aBatchIsStoredWholeOrNotAtAll() throws Exception {
        Job parent = batchParent(3, null);
        List<Job> kids = children(parent, 3);
        kids.set(2, kids.get(2).with(b -> b.after(List.of("no-such-id"))));
        assertThat(store().insertBatch(parent, kids, Admission.NONE)).isEqualTo(new Insert.DependencyRefused(2, "no-such-id", "no such job"));
        assertThat(store().get(parent.id())).isEmpty();
        for (Job k : kids) assertThat(store().get(k.id())).isEmpty();
        assertThat(store().list(new JobFilter(null, null, null, parent.id()), 10)).isEmpty();

        Job ok = batchParent(3, null);
        List<Job> good = children(ok, 3);
        Insert done = store().insertBatch(ok, good, Admission.NONE);
        Job stored = ((Insert.Inserted) done).job();
        assertThat(stored.id()).isEqualTo(ok.id());
        assertThat(stored.state()).isEqualTo(JobState.RUNNING);
        assertThat(store().list(new JobFilter(null, null, null, ok.id()), 10)).extracting(Job::id)
                .containsExactly(good.get(2).id(), good.get(1).id(), good.get(0).id());
        assertThat(store().list(new JobFilter(null, null, null, ok.id()), 10)).allSatisfy(j -> assertThat(j.parent()).isEqualTo(ok.id()));
        assertThat(claimAll()).containsExactlyInAnyOrderElementsOf(good.stream().map(Job::id).toList());
    }

    @Test
    void aBatchesParentCountsItsChildrenAndEndsWithThem() throws Exception {
        Job parent = batchParent(3, null);
        List<Job> kids = children(parent, 3);
        store().insertBatch(parent, kids, Admission.NONE);
        List<Job> running = new ArrayList<>();
        for (Job k : kids) running.add(claimOne(k));
        long v = get(parent).version();

        end(running.get(0), false);
        Job p1 = get(parent);
        assertThat(p1.version()).isGreaterThan(v);
        assertThat(p1.state()).isEqualTo(JobState.RUNNING);
        assertThat(p1.progress().done()).isEqualTo(1L);
        assertThat(p1.progress().total()).isEqualTo(3L);
        assertThat(p1.progress().percent()).isCloseTo(100.0 / 3, org.assertj.core.data.Offset.offset(0.01));
        end(running.get(1), false);
        end(running.get(2), false);
        Job p3 = get(parent);
        assertThat(p3.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(p3.progress().done()).isEqualTo(3L);
        assertThat(p3.progress().percent()).isEqualTo(100.0);
        assertThat(p3.finishedAt()).isNotNull();

        Job other = batchParent(2, null);
        List<Job> more = children(other, 2);
        store().insertBatch(other, more, Admission.NONE);
        end(claimOne(more.get(0)), true);
        assertThat(get(other).state()).isEqualTo(JobState.RUNNING);
        end(claimOne(more.get(1)), false);
        Job failed = get(other);
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.error().type()).isEqualTo("batch");
        assertThat(failed.progress().done()).isEqualTo(2L);
    }

    @Test
    void aBatchesPercentBetweenEndsIsTheMeanOfItsChildrensWithTheRunningOnesAsGiven() throws Exception {
        Job parent = batchParent(4, null);
        List<Job> kids = children(parent, 4);
        store().insertBatch(parent, kids, Admission.NONE);
        end(claimOne(kids.get(0)), false);
        assertThat(get(parent).progress().percent()).isEqualTo(25.0);
        long before = get(parent).version();
        Job moved = store().batchPercent(parent.id(), 50 + 30, T0.plusSeconds(2)).orElseThrow();
        assertThat(moved.progress().percent()).isEqualTo(45.0);
        assertThat(moved.progress().done()).isEqualTo(1L);
        assertThat(moved.version()).isGreaterThan(before);
        assertThat(store().batchPercent(parent.id(), 80.01, T0.plusSeconds(3))).isEmpty();
        assertThat(store().batchPercent(kids.get(1).id(), 10, T0.plusSeconds(3))).isEmpty();
        assertThat(store().batchPercent("no-such-batch", 10, T0.plusSeconds(3))).isEmpty();
        Job p = get(parent);
        store().update(Transitions.cancel(p, T0), p.version()).orElseThrow();
        assertThat(store().batchPercent(parent.id(), 90, T0.plusSeconds(4))).isEmpty();
    }

    @Test
    void cancellingABatchCancelsItsQueuedChildrenAndAsksItsRunningOnesToStop() throws Exception {
        Job parent = batchParent(3, null);
        List<Job> kids = children(parent, 3);
        store().insertBatch(parent, kids, Admission.NONE);
        Job running = claimOne(kids.get(0));
        Job p = get(parent);
        Job cancelled = store().update(Transitions.cancel(p, T0), p.version()).orElseThrow();
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(get(kids.get(1)).state()).isEqualTo(JobState.CANCELLED);
        assertThat(get(kids.get(2)).state()).isEqualTo(JobState.CANCELLED);
        Job r = get(running);
        assertThat(r.state()).isEqualTo(JobState.RUNNING);
        assertThat(r.cancelRequested()).isTrue();
        Job stopped = store().update(Transitions.finish(r, null, null, null, T0), r.version()).orElseThrow();
        assertThat(stopped.state()).isEqualTo(JobState.CANCELLED);
        assertThat(get(parent).state()).isEqualTo(JobState.CANCELLED);
        assertThat(claimAll()).isEmpty();
    }

    @Test
    void aBatchParentIsNeverClaimedAndAChildMayWaitForAnotherJob() throws Exception {
        Job a = insert(queued(null));
        Job parent = batchParent(1, null);
        List<Job> kids = children(parent, 1);
        kids.set(0, kids.get(0).with(b -> b.after(List.of(a.id()))));
        store().insertBatch(parent, kids, Admission.NONE);
        assertThat(get(kids.get(0)).waitingFor()).containsExactly(a.id());
        assertThat(store().claim("n1", List.of("sleep", Job.BATCH), 100, T0)).extracting(Job::id).containsExactly(a.id());
        end(get(a), false);
        assertThat(claimAll()).containsExactly(kids.get(0).id());
    }
}
