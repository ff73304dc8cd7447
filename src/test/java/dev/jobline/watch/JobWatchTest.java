package dev.jobline.watch;

import dev.jobline.Node;
import dev.jobline.TestNode;
import dev.jobline.job.*;
import dev.jobline.engine.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jobline.store.JobFilter;
import dev.jobline.time.FakeTimers;
import dev.jobline.watch.Cursor;
import dev.jobline.watch.Listing;
import dev.jobline.watch.Snapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class JobWatchTest {

    private static void awaitState(JobEngine e, String id, JobState s) {
        await().atMost(Duration.ofSeconds(20)).until(() -> e.get(id).orElseThrow().state() == s);
    }

    @Test
    void aWaiterIsAnsweredAtTheChangeItWaitedFor() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (Node node = TestNode.start(TestTypes.gated("gate", gate))) {
            JobEngine e = node.engine();
            Job job = e.submit("gate", null, null);
            awaitState(e, job.id(), JobState.RUNNING);
            long v = e.get(job.id()).orElseThrow().version();
            CompletableFuture<Snapshot> answer = node.watch().awaitJob(job.id(), v, Duration.ofSeconds(20));
            assertThat(answer).isNotDone();
            gate.countDown();
            Job seen = answer.get(10, TimeUnit.SECONDS).job();
            assertThat(seen.version()).isGreaterThan(v);
            assertThat(seen.state()).isEqualTo(JobState.SUCCEEDED);
        }
    }

    @Test
    void aWaiterWhoseWaitPassesGetsTheSameVersion() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        FakeTimers timers = new FakeTimers();
        try (Node node = TestNode.start(timers, TestTypes.gated("gate", gate))) {
            JobEngine e = node.engine();
            Job job = e.submit("gate", null, null);
            awaitState(e, job.id(), JobState.RUNNING);
            long v = e.get(job.id()).orElseThrow().version();
            CompletableFuture<Snapshot> answer = node.watch().awaitJob(job.id(), v, Duration.ofSeconds(30));
            timers.advance(Duration.ofMillis(29_999));
            assertThat(answer).isNotDone();
            assertThat(node.watch().waiting()).isEqualTo(1);
            timers.advance(Duration.ofMillis(1));
            Job seen = answer.get(10, TimeUnit.SECONDS).job();
            assertThat(seen.version()).isEqualTo(v);
            assertThat(node.watch().waiting()).isZero();
            gate.countDown();
        }
    }

    @Test
    void aCollectionWatchWhoseWaitPassesAnswersNoChangesAtTheClocksTime() throws Exception {
        FakeTimers timers = new FakeTimers();
        try (Node node = TestNode.start(timers)) {
            JobEngine e = node.engine();
            Listing start = node.watch().list(JobFilter.ALL, 100);
            CompletableFuture<Listing> answer = node.watch().awaitChanges(Cursor.parse(start.cursor()), JobFilter.ALL, 100, Duration.ofSeconds(30));
            timers.advance(Duration.ofSeconds(29));
            assertThat(answer).isNotDone();
            timers.advance(Duration.ofSeconds(1));
            Listing l = answer.get(10, TimeUnit.SECONDS);
            assertThat(l.jobs()).isEmpty();
            assertThat(l.cursor()).isEqualTo(start.cursor());
            assertThat(node.watch().waiting()).isZero();
        }
    }

    @Test
    void cancellingAWaitersAnswerReleasesItAtOnce() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        FakeTimers timers = new FakeTimers();
        try (Node node = TestNode.start(timers, TestTypes.gated("gate", gate))) {
            JobEngine e = node.engine();
            Job job = e.submit("gate", null, null);
            awaitState(e, job.id(), JobState.RUNNING);
            long v = e.get(job.id()).orElseThrow().version();
            Listing start = node.watch().list(JobFilter.ALL, 100);
            int timersBefore = timers.pending();
            CompletableFuture<Snapshot> one = node.watch().awaitJob(job.id(), v, Duration.ofSeconds(30));
            CompletableFuture<Listing> all = node.watch().awaitChanges(Cursor.parse(start.cursor()), JobFilter.ALL, 100, Duration.ofSeconds(30));
            assertThat(node.watch().waiting()).isEqualTo(2);
            one.cancel(false);
            all.cancel(false);
            assertThat(node.watch().waiting()).isZero();
            assertThat(timers.pending()).as("the waiters' timers are gone too").isEqualTo(timersBefore);
            gate.countDown();
        }
    }

    @Test
    void aTerminalJobIsAnsweredAtOnceWhateverTheVersionAskedFor() throws Exception {
        try (Node node = TestNode.start()) {
            JobEngine e = node.engine();
            Job job = e.submit("sleep", dev.jobline.json.Json.MAPPER.readTree("{\"seconds\":0}"), null);
            awaitState(e, job.id(), JobState.SUCCEEDED);
            CompletableFuture<Snapshot> answer = node.watch().awaitJob(job.id(), 1_000_000, Duration.ofSeconds(30));
            assertThat(answer).isDone();
            assertThat(answer.get().job().state()).isEqualTo(JobState.SUCCEEDED);
        }
    }

    @Test
    void aThousandWaitersOnOneJobAreAllWokenByOneChange() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (Node node = TestNode.start(TestTypes.gated("gate", gate))) {
            JobEngine e = node.engine();
            Job job = e.submit("gate", null, null);
            awaitState(e, job.id(), JobState.RUNNING);
            long v = e.get(job.id()).orElseThrow().version();
            List<CompletableFuture<Snapshot>> answers = new ArrayList<>();
            for (int i = 0; i < 1000; i++) answers.add(node.watch().awaitJob(job.id(), v, Duration.ofSeconds(25)));
            assertThat(node.watch().waiting()).isEqualTo(1000);
            gate.countDown();
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            for (CompletableFuture<Snapshot> a : answers) assertThat(a.get().job().state()).isEqualTo(JobState.SUCCEEDED);
            // one serialization of the new version serves every waiter
            assertThat(answers.stream().map(a -> a.join().json()).distinct().count()).isEqualTo(1);
            assertThat(node.watch().waiting()).isZero();
        }
    }

    @Test
    void drainingAnswersEveryWaiterAtOnce() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Node node = TestNode.start(TestTypes.gated("gate", gate));
        JobEngine e = node.engine();
        Job job = e.submit("gate", null, null);
        awaitState(e, job.id(), JobState.RUNNING);
        long v = e.get(job.id()).orElseThrow().version();
        CompletableFuture<Snapshot> one = node.watch().awaitJob(job.id(), v, Duration.ofSeconds(60));
        Listing start = node.watch().list(JobFilter.ALL, 10);
        CompletableFuture<Listing> all = node.watch().awaitChanges(Cursor.parse(start.cursor()), JobFilter.ALL, 10, Duration.ofSeconds(60));
        Thread drainer = Thread.ofVirtual().start(() -> node.drain(Duration.ofSeconds(10)));
        assertThat(one.get(5, TimeUnit.SECONDS).job().version()).isEqualTo(v);
        assertThat(all.get(5, TimeUnit.SECONDS).jobs()).isEmpty();
        // a new long-poll while draining is told to come back later instead of spinning on at-once answers
        assertThatThrownBy(() -> node.watch().awaitJob(job.id(), v, Duration.ofSeconds(60))).isInstanceOf(JobException.Draining.class);
        assertThat(node.watch().awaitJob(job.id(), v - 1, Duration.ofSeconds(60)).get().job().version()).isEqualTo(v);
        assertThatThrownBy(() -> e.submit("sleep", null, null)).isInstanceOf(JobException.Draining.class);
        gate.countDown();
        drainer.join();
        node.close();
    }

    @Test
    void theProcessHoldsNoMoreWaitersThanItsLimit() throws Exception {
        EngineOptions d = EngineOptions.defaults();
        EngineOptions two = new EngineOptions(d.maxQueued(), d.maxRunning(), 2, d.progressFlushInterval(), d.retention(), 3, d.nodeId(), d.lease());
        CountDownLatch gate = new CountDownLatch(1);
        try (Node node = TestNode.start(two, Clock.systemUTC(), TestTypes.gated("gate", gate))) {
            JobEngine e = node.engine();
            Job job = e.submit("gate", null, null);
            awaitState(e, job.id(), JobState.RUNNING);
            long v = e.get(job.id()).orElseThrow().version();
            node.watch().awaitJob(job.id(), v, Duration.ofSeconds(20));
            node.watch().awaitJob(job.id(), v, Duration.ofSeconds(20));
            assertThatThrownBy(() -> node.watch().awaitJob(job.id(), v, Duration.ofSeconds(20))).isInstanceOf(JobException.Full.class);
            gate.countDown();
        }
    }

    @Test
    void theCollectionWatchReturnsEachChangedJobOnceWithDeletedIds() throws Exception {
        try (Node node = TestNode.start()) {
            JobEngine e = node.engine();
            Job old = e.submit("sleep", dev.jobline.json.Json.MAPPER.readTree("{\"seconds\":0}"), null);
            awaitState(e, old.id(), JobState.SUCCEEDED);
            Listing start = node.watch().list(JobFilter.ALL, 100);
            assertThat(start.jobs()).extracting(Job::id).containsExactly(old.id());
            Job a = e.submit("sleep", dev.jobline.json.Json.MAPPER.readTree("{\"seconds\":0}"), null);
            Job b = e.submit("sleep", dev.jobline.json.Json.MAPPER.readTree("{\"seconds\":0}"), null);
            awaitState(e, a.id(), JobState.SUCCEEDED);
            awaitState(e, b.id(), JobState.SUCCEEDED);
            e.delete(old.id());
            Listing changes = node.watch().awaitChanges(Cursor.parse(start.cursor()), JobFilter.ALL, 100, Duration.ofSeconds(5)).get();
            assertThat(changes.reset()).isFalse();
            assertThat(changes.jobs()).extracting(Job::id).containsExactlyInAnyOrder(a.id(), b.id());
            assertThat(changes.jobs()).allMatch(j -> j.state() == JobState.SUCCEEDED);
            assertThat(changes.deleted()).containsExactly(old.id());
            Listing none = node.watch().awaitChanges(Cursor.parse(changes.cursor()), JobFilter.ALL, 100, Duration.ofMillis(100)).get();
            assertThat(none.jobs()).isEmpty();
            assertThat(none.cursor()).isEqualTo(changes.cursor());
        }
    }

    @Test
    void theCollectionWatchWaitsForAMatchingChange() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (Node node = TestNode.start(TestTypes.gated("gate", gate))) {
            JobEngine e = node.engine();
            Listing start = node.watch().list(JobFilter.ALL, 100);
            JobFilter succeeded = new JobFilter(Set.of(JobState.SUCCEEDED), null, null);
            CompletableFuture<Listing> answer = node.watch().awaitChanges(Cursor.parse(start.cursor()), succeeded, 100, Duration.ofSeconds(20));
            Job job = e.submit("gate", null, null);
            awaitState(e, job.id(), JobState.RUNNING);
            assertThat(answer).isNotDone();
            gate.countDown();
            assertThat(answer.get(10, TimeUnit.SECONDS).jobs()).extracting(Job::state).containsExactly(JobState.SUCCEEDED);
        }
    }

    @Test
    void aJobThatChangesOutOfAStateFilterLeavesTheWatchAsDeleted() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (Node node = TestNode.start(TestTypes.gated("gate", gate))) {
            JobEngine e = node.engine();
            JobFilter running = new JobFilter(Set.of(JobState.RUNNING), null, null);
            Listing start = node.watch().list(running, 100);
            Job job = e.submit("gate", null, null);
            awaitState(e, job.id(), JobState.RUNNING);
            Listing seen = node.watch().awaitChanges(Cursor.parse(start.cursor()), running, 100, Duration.ofSeconds(10)).get();
            assertThat(seen.jobs()).extracting(Job::id).containsExactly(job.id());
            gate.countDown();
            awaitState(e, job.id(), JobState.SUCCEEDED);
            Listing left = node.watch().awaitChanges(Cursor.parse(seen.cursor()), running, 100, Duration.ofSeconds(10)).get();
            assertThat(left.jobs()).isEmpty();
            assertThat(left.deleted()).containsExactly(job.id());
        }
    }

    @Test
    void aCursorFromAnotherStoreGetsAFullListingWithReset() throws Exception {
        try (Node node = TestNode.start()) {
            JobEngine e = node.engine();
            e.submit("sleep", null, null);
            Listing l = node.watch().awaitChanges(Cursor.parse("abc123-5"), JobFilter.ALL, 100, Duration.ofSeconds(5)).get();
            assertThat(l.reset()).isTrue();
            assertThat(l.jobs()).hasSize(1);
        }
    }
}
