package dev.jobline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.job.Job;
import dev.jobline.job.JobError;
import dev.jobline.job.JobState;
import dev.jobline.job.Progress;
import dev.jobline.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every JobStore must do; one subclass per implementation. */
public abstract class JobStoreContract {
    protected JobStore store;
    protected final Instant t0 = Instant.parse("2026-11-22T10:00:00.000Z");

    protected abstract JobStore open() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = open();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected Job newJob(String type) throws Exception {
        return Job.queued(UUID.randomUUID().toString(), type, Json.MAPPER.readTree("{\"seconds\":1}"), null, t0);
    }

    @Test
    void insertAssignsGrowingSeqsAndGetReturnsTheJob() throws Exception {
        Job a = store.insert(newJob("sleep"));
        Job b = store.insert(newJob("sleep"));
        assertThat(b.seq()).isGreaterThan(a.seq());
        assertThat(store.lastSeq()).isEqualTo(b.seq());
        Job read = store.get(a.id()).orElseThrow();
        assertThat(read.id()).isEqualTo(a.id());
        assertThat(read.params()).isEqualTo(a.params());
        assertThat(read.createdAt()).isEqualTo(t0);
        assertThat(read.state()).isEqualTo(JobState.QUEUED);
        assertThat(store.get("missing")).isEmpty();
    }

    @Test
    void updateKeepsTheNewestVersionAndIgnoresAnOlderOne() throws Exception {
        Job a = store.insert(newJob("sleep"));
        Job running = a.started(t0.plusSeconds(1)).withProgress(new Progress(40, 4L, 10L, "four"), t0.plusSeconds(2));
        Job stored = store.update(running).orElseThrow();
        assertThat(stored.version()).isEqualTo(running.version());
        assertThat(stored.seq()).isGreaterThan(a.seq());
        Job stale = a.started(t0.plusSeconds(1));
        assertThat(store.update(stale).orElseThrow().version()).isEqualTo(running.version());
        Job read = store.get(a.id()).orElseThrow();
        assertThat(read.progress()).isEqualTo(new Progress(40, 4L, 10L, "four"));
        assertThat(read.startedAt()).isEqualTo(t0.plusSeconds(1));
        assertThat(read.attempt()).isEqualTo(1);
    }

    @Test
    void terminalStatesKeepResultAndError() throws Exception {
        Job a = store.insert(newJob("sleep"));
        Job b = store.insert(newJob("sleep"));
        store.update(a.started(t0).succeeded(Json.MAPPER.readTree("{\"slept\":1}"), t0.plusSeconds(3)));
        store.update(b.started(t0).ended(JobState.FAILED, new JobError("no", "boom"), t0.plusSeconds(3)));
        Job sa = store.get(a.id()).orElseThrow();
        assertThat(sa.result().get("slept").asInt()).isEqualTo(1);
        assertThat(sa.finishedAt()).isEqualTo(t0.plusSeconds(3));
        assertThat(sa.progress().percent()).isEqualTo(100.0);
        assertThat(store.get(b.id()).orElseThrow().error()).isEqualTo(new JobError("no", "boom"));
    }

    @Test
    void listIsNewestFirstAndFiltersByStateAndType() throws Exception {
        Job a = store.insert(newJob("sleep"));
        Job b = store.insert(newJob("other"));
        Job c = store.insert(newJob("sleep"));
        store.update(c.started(t0));
        assertThat(store.list(JobFilter.ALL, 10)).extracting(Job::id).containsExactly(c.id(), b.id(), a.id());
        assertThat(store.list(JobFilter.ALL, 2)).extracting(Job::id).containsExactly(c.id(), b.id());
        assertThat(store.list(new JobFilter(null, "sleep", null), 10)).extracting(Job::id).containsExactly(c.id(), a.id());
        assertThat(store.list(new JobFilter(Set.of(JobState.RUNNING), null, null), 10)).extracting(Job::id).containsExactly(c.id());
    }

    @Test
    void changesSinceGivesEachChangedJobOnceAndTheDeletedIds() throws Exception {
        Job a = store.insert(newJob("sleep"));
        Job gone = store.insert(newJob("sleep"));
        store.update(gone.started(t0).succeeded(null, t0));
        long cursor = store.lastSeq();
        Job b = store.insert(newJob("sleep"));
        store.update(a.started(t0));
        store.update(a.started(t0).withProgress(new Progress(50, null, null, null), t0));
        assertThat(store.delete(gone.id(), t0)).isTrue();
        assertThat(store.delete(gone.id(), t0)).isFalse();
        ChangeSet cs = store.changesSince(cursor, 100);
        assertThat(cs.jobs()).extracting(Job::id).containsExactly(b.id(), a.id());
        assertThat(cs.jobs().get(1).progress().percent()).isEqualTo(50.0);
        assertThat(cs.deleted()).containsExactly(new ChangeSet.Deleted(gone.id(), null));
        assertThat(cs.cursor()).isEqualTo(store.lastSeq());
        assertThat(store.changesSince(store.lastSeq(), 100).isEmpty()).isTrue();
        assertThat(store.get(gone.id())).isEmpty();
    }

    @Test
    void tombstonesKeepTheOwnerOfTheDeletedJob() throws Exception {
        Job mine = store.insert(Job.queued(UUID.randomUUID().toString(), "sleep", Json.MAPPER.readTree("{}"), "alice", t0));
        store.update(mine.started(t0).succeeded(null, t0));
        long cursor = store.lastSeq();
        store.delete(mine.id(), t0);
        assertThat(store.changesSince(cursor, 10).deleted()).containsExactly(new ChangeSet.Deleted(mine.id(), "alice"));
        assertThat(store.get(mine.id())).isEmpty();
    }

    @Test
    void changesSinceHonoursTheLimitAndResumesFromItsCursor() throws Exception {
        long start = store.lastSeq();
        for (int i = 0; i < 5; i++) store.insert(newJob("sleep"));
        ChangeSet first = store.changesSince(start, 3);
        assertThat(first.jobs()).hasSize(3);
        ChangeSet rest = store.changesSince(first.cursor(), 3);
        assertThat(rest.jobs()).hasSize(2);
        assertThat(rest.cursor()).isEqualTo(store.lastSeq());
    }

    @Test
    void aCursorFromTheFutureIsNotAnswered() {
        assertThat(store.changesSince(store.lastSeq() + 10, 10)).isNull();
    }

    @Test
    void deleteFinishedBeforeRemovesOnlyOldTerminalJobs() throws Exception {
        Job old = store.insert(newJob("sleep"));
        Job recent = store.insert(newJob("sleep"));
        Job active = store.insert(newJob("sleep"));
        store.update(old.started(t0).succeeded(null, t0.plusSeconds(1)));
        store.update(recent.started(t0).succeeded(null, t0.plusSeconds(100)));
        store.update(active.started(t0));
        long cursor = store.lastSeq();
        assertThat(store.deleteFinishedBefore(t0.plusSeconds(50), t0.plusSeconds(60), 100)).containsExactly(old.id());
        assertThat(store.get(old.id())).isEmpty();
        assertThat(store.get(recent.id())).isPresent();
        assertThat(store.changesSince(cursor, 10).deleted()).extracting(ChangeSet.Deleted::id).containsExactly(old.id());
    }

    @Test
    void aKeyIsStoredWithItsJobOnceAndTheFirstRequestWins() throws Exception {
        Job first = newJob("sleep");
        IdempotencyKey k = new IdempotencyKey("alice", "key-1", "hash-1", first.id(), t0);
        assertThat(store.insert(first, k)).isEqualTo(k);
        assertThat(store.get(first.id())).isPresent();
        Job second = newJob("sleep");
        IdempotencyKey again = store.insert(second, new IdempotencyKey("alice", "key-1", "hash-2", second.id(), t0));
        assertThat(again.jobId()).isEqualTo(first.id());
        assertThat(again.requestHash()).isEqualTo("hash-1");
        assertThat(store.get(second.id())).isEmpty();
        assertThat(store.findKey("bob", "key-1")).isEmpty();
        assertThat(store.findKey("alice", "key-1").orElseThrow().jobId()).isEqualTo(first.id());
    }

    @Test
    void forgetBeforeDropsOldKeysAndTombstonesAndOldCursorsThenNeedAReset() throws Exception {
        Job a = store.insert(newJob("sleep"));
        store.insert(newJob("sleep"), new IdempotencyKey("", "old", "h", "x", t0));
        long before = store.lastSeq();
        store.update(a.started(t0).succeeded(null, t0));
        store.delete(a.id(), t0);
        store.forgetBefore(t0.plusSeconds(1));
        assertThat(store.findKey("", "old")).isEmpty();
        assertThat(store.changesSince(before, 10)).isNull();
        assertThat(store.changesSince(store.lastSeq(), 10)).isNotNull();
    }

    @Test
    void unfinishedListsQueuedAndRunningJobsOldestFirst() throws Exception {
        Job a = store.insert(newJob("sleep"));
        Job b = store.insert(newJob("sleep"));
        Job c = store.insert(newJob("sleep"));
        store.update(b.started(t0));
        store.update(c.started(t0).succeeded(null, t0));
        List<Job> unfinished = store.unfinished();
        assertThat(unfinished).extracting(Job::id).containsExactly(a.id(), b.id());
    }
}
