package dev.jobline.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.Node;
import dev.jobline.TestNode;
import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import dev.jobline.job.JobType;
import dev.jobline.store.MemoryJobStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A job claimed by a node whose thread has not started yet, when the node gives the job up (it
 * drains, or another node takes the job over): the job runs on the other node, and its handler
 * never starts on the node that gave it up.
 */
@Timeout(60)
class UnstartedJobTest {
    private static final ThreadLocal<String> RUNNING_ON = new ThreadLocal<>();

    /** One node's job threads, each held before it runs until the test releases them. */
    private static final class HeldThreads implements ThreadFactory {
        final String node;
        final CountDownLatch created = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch ended = new CountDownLatch(1);

        HeldThreads(String node) {
            this.node = node;
        }

        @Override
        public Thread newThread(Runnable r) {
            created.countDown();
            return Thread.ofVirtual().unstarted(() -> {
                try {
                    if (!release.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
                    RUNNING_ON.set(node);
                    r.run();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                } finally {
                    ended.countDown();
                }
            });
        }
    }

    private final List<String> runs = new CopyOnWriteArrayList<>();
    private final JobType record = JobType.of("record", "records the node that runs it", null, (ctx, p) -> {
        runs.add(RUNNING_ON.get());
        return Map.of("attempt", ctx.attempt());
    });

    private static EngineOptions node(String id) {
        return EngineOptions.defaults().withLimits(1_000, 10).withNode(id, Duration.ofSeconds(1));
    }

    /** Waits until both nodes have a row (the second one's start removes the first's until its next heartbeat). */
    private static void bothListed(Node n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> n.engine().nodes().size() == 2);
    }

    @Test
    void aJobHandedBackByADrainBeforeItsThreadStartedRunsOnlyOnTheOtherNode() throws Exception {
        MemoryJobStore shared = new MemoryJobStore();
        HeldThreads ta = new HeldThreads("a");
        HeldThreads tb = new HeldThreads("b");
        try (Node a = TestNode.start(new KillableStore(shared, true), node("a"), Clock.systemUTC(), record);
             Node b = TestNode.start(new KillableStore(shared, false), node("b"), Clock.systemUTC(), record)) {
            a.engine().jobThreads(ta);
            b.engine().jobThreads(tb);
            bothListed(a);
            Job job = a.engine().submit("record", null, null);
            await().atMost(Duration.ofSeconds(10)).until(() -> ta.created.getCount() == 0 || tb.created.getCount() == 0);
            HeldThreads held = ta.created.getCount() == 0 ? ta : tb;
            HeldThreads other = held == ta ? tb : ta;
            Node leaving = held == ta ? a : b;
            Node staying = held == ta ? b : a;
            other.release.countDown();

            leaving.drain(Duration.ZERO); // the claimed job's thread has not started: it is handed back
            assertThat(leaving.engine().runsHere(job.id())).isFalse();
            await().atMost(Duration.ofSeconds(20)).until(() -> staying.engine().get(job.id()).orElseThrow().isTerminal());
            held.release.countDown();
            assertThat(held.ended.await(10, TimeUnit.SECONDS)).isTrue();

            Job done = staying.engine().get(job.id()).orElseThrow();
            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.attempt()).isEqualTo(2);
            assertThat(runs).containsExactly(other.node);
            assertThat(leaving.engine().runsHere(job.id())).isFalse();
        } finally {
            ta.release.countDown();
            tb.release.countDown();
        }
    }

    @Test
    void aJobTakenOverBeforeItsThreadStartedRunsOnlyOnTheNodeThatTookItOver() throws Exception {
        MemoryJobStore shared = new MemoryJobStore();
        HeldThreads ta = new HeldThreads("a");
        HeldThreads tb = new HeldThreads("b");
        KillableStore sa = new KillableStore(shared, true);
        KillableStore sb = new KillableStore(shared, false);
        try (Node a = TestNode.start(sa, node("a"), Clock.systemUTC(), record);
             Node b = TestNode.start(sb, node("b"), Clock.systemUTC(), record)) {
            a.engine().jobThreads(ta);
            b.engine().jobThreads(tb);
            bothListed(a);
            Job job = a.engine().submit("record", null, null);
            await().atMost(Duration.ofSeconds(10)).until(() -> ta.created.getCount() == 0 || tb.created.getCount() == 0);
            HeldThreads held = ta.created.getCount() == 0 ? ta : tb;
            HeldThreads other = held == ta ? tb : ta;
            Node losing = held == ta ? a : b;
            Node taking = held == ta ? b : a;
            other.release.countDown();

            (held == ta ? sa : sb).kill(); // its heartbeat stops: after the lease the other node takes the job over
            await().atMost(Duration.ofSeconds(20)).until(() -> taking.engine().get(job.id()).orElseThrow().isTerminal());
            await().atMost(Duration.ofSeconds(10)).until(() -> !losing.engine().runsHere(job.id())); // it heard it lost the job
            held.release.countDown();
            assertThat(held.ended.await(10, TimeUnit.SECONDS)).isTrue();

            Job done = taking.engine().get(job.id()).orElseThrow();
            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.attempt()).isEqualTo(2);
            assertThat(runs).containsExactly(other.node);
        } finally {
            ta.release.countDown();
            tb.release.countDown();
        }
    }
}
