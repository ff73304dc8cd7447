package dev.jobline.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jobline.Node;
import dev.jobline.TestNode;
import dev.jobline.job.Job;
import dev.jobline.job.JobException;
import dev.jobline.job.JobType;
import dev.jobline.pg.PostgresServer;
import dev.jobline.store.JobFilter;
import dev.jobline.store.PostgresJobStore;
import dev.jobline.time.FakeTimers;
import dev.jobline.time.Timers;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What two nodes on one PostgreSQL database admit together: an Idempotency-Key makes one job
 * whichever nodes it is sent to, and an owner's quotas count the jobs of every node.
 */
@Timeout(120)
class PostgresAdmissionTest {
    private final CountDownLatch gate = new CountDownLatch(1);
    private final JobType held = JobType.of("held", "waits for the test", null, (ctx, p) -> {
        gate.await();
        return null;
    });

    private Node node(String url, String id, Quotas quotas, Timers timers) {
        EngineOptions o = EngineOptions.defaults().withLimits(10_000, 100).withNode(id, Duration.ofSeconds(30));
        return TestNode.start(PostgresJobStore.open(url), o, quotas, timers, held);
    }

    @Test
    void theSameKeyAndBodySentToTwoNodesAtOnceMakeOneJob() throws Exception {
        String url = PostgresServer.shared().newDatabase();
        int rounds = 20;
        try (Node a = node(url, "a", Quotas.none(), Timers.system(Clock.systemUTC()));
             Node b = node(url, "b", Quotas.none(), Timers.system(Clock.systemUTC()))) {
            for (int i = 0; i < rounds; i++) {
                String key = "key-" + i;
                CountDownLatch go = new CountDownLatch(1);
                CompletableFuture<Job> onA = CompletableFuture.supplyAsync(() -> submitAfter(go, a, key));
                CompletableFuture<Job> onB = CompletableFuture.supplyAsync(() -> submitAfter(go, b, key));
                go.countDown();
                assertThat(onA.get(30, TimeUnit.SECONDS).id()).as(key).isEqualTo(onB.get(30, TimeUnit.SECONDS).id());
            }
            assertThat(a.store().list(JobFilter.ALL, 1_000)).hasSize(rounds);
            assertThat(b.store().list(JobFilter.ALL, 1_000)).hasSize(rounds);
        } finally {
            gate.countDown();
        }
    }

    private static Job submitAfter(CountDownLatch go, Node n, String key) {
        try {
            if (!go.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return n.engine().submit("held", null, "owner", key, "the same body");
    }

    @Test
    void anOwnersSubmitRateIsOneBucketForAllNodes() throws Exception {
        String url = PostgresServer.shared().newDatabase();
        Quotas twoASecond = new Quotas(null, 2, null); // a bucket of 4
        FakeTimers ta = new FakeTimers();
        FakeTimers tb = new FakeTimers(); // why: both clocks stand still at the same instant, so the bucket does not refill
        try (Node a = node(url, "a", twoASecond, ta); Node b = node(url, "b", twoASecond, tb)) {
            for (int i = 0; i < 4; i++) a.engine().submit("held", null, "alice");
            assertThatThrownBy(() -> b.engine().submit("held", null, "alice")).isInstanceOf(JobException.Full.class)
                    .hasMessageContaining("max-submits-per-second-per-owner");
            assertThatThrownBy(() -> a.engine().submit("held", null, "alice")).isInstanceOf(JobException.Full.class);
            b.engine().submit("held", null, "bob"); // another owner has a bucket of its own

            tb.advance(Duration.ofMillis(500)); // one token back, as node b's clock sees it
            b.engine().submit("held", null, "alice");
            assertThatThrownBy(() -> b.engine().submit("held", null, "alice")).isInstanceOf(JobException.Full.class);
        } finally {
            gate.countDown();
        }
    }

    @Test
    void anOwnersFirstSubmitsOnTwoNodesAtOnceShareOneNewBucket() throws Exception {
        String url = PostgresServer.shared().newDatabase();
        Quotas oneASecond = new Quotas(null, 1, null); // a bucket of 2
        FakeTimers ta = new FakeTimers();
        FakeTimers tb = new FakeTimers();
        int owners = 20;
        try (Node a = node(url, "a", oneASecond, ta); Node b = node(url, "b", oneASecond, tb)) {
            for (int i = 0; i < owners; i++) {
                String owner = "owner-" + i; // why: a new owner has no bucket row yet, which is where two nodes could both start a full one
                CountDownLatch go = new CountDownLatch(1);
                List<CompletableFuture<Boolean>> tries = new ArrayList<>();
                for (Node n : List.of(a, b, a, b)) tries.add(CompletableFuture.supplyAsync(() -> admitted(go, n, owner)));
                go.countDown();
                long admitted = 0;
                for (CompletableFuture<Boolean> t : tries) if (t.get(30, TimeUnit.SECONDS)) admitted++;
                assertThat(admitted).as(owner + ": submits admitted from one bucket of 2").isEqualTo(2);
            }
        } finally {
            gate.countDown();
        }
    }

    private static boolean admitted(CountDownLatch go, Node n, String owner) {
        try {
            if (!go.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
            n.engine().submit("held", null, owner);
            return true;
        } catch (JobException.Full e) {
            return false;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void onceOneNodesJobsAreInTheFeedTheOtherRefusesTheOwnerPastMaxActive() throws Exception {
        String url = PostgresServer.shared().newDatabase();
        Quotas three = new Quotas(3, null, null);
        try (Node a = node(url, "a", three, Timers.system(Clock.systemUTC()));
             Node b = node(url, "b", three, Timers.system(Clock.systemUTC()))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) ids.add(a.engine().submit("held", null, "alice").id());
            await().atMost(Duration.ofSeconds(10)).until(() -> b.active().activeOf("alice") == 3); // b has read them from the feed
            assertThatThrownBy(() -> b.engine().submit("held", null, "alice")).isInstanceOf(JobException.Full.class)
                    .hasMessageContaining("max-active-per-owner");
            b.engine().submit("held", null, "bob");

            a.engine().cancel(ids.getFirst());
            await().atMost(Duration.ofSeconds(10)).until(() -> b.active().activeOf("alice") == 2);
            b.engine().submit("held", null, "alice"); // a place is free again, on every node
            await().atMost(Duration.ofSeconds(10)).until(() -> a.active().activeOf("alice") == 3);
            assertThatThrownBy(() -> a.engine().submit("held", null, "alice")).isInstanceOf(JobException.Full.class);
        } finally {
            gate.countDown();
        }
    }
}
