package dev.jobline.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.Node;
import dev.jobline.TestNode;
import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import dev.jobline.job.JobType;
import dev.jobline.job.Transitions;
import dev.jobline.json.Json;
import dev.jobline.store.FeedListener;
import dev.jobline.store.JobStore;
import dev.jobline.store.MemoryJobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node taken for dead while it lives (its heartbeat late) may claim its own job again, as the
 * next attempt, before its feed tells it that the job was taken: the earlier attempt still
 * running here is over then, and only the new one writes the job.
 */
@Timeout(60)
class ReclaimedJobTest {

    /** A store whose feed a test can hold back: batches wait, in order, until it is released. */
    private static final class HeldFeed extends ForwardingStore {
        private final List<Runnable> held = new ArrayList<>();
        private boolean holding;

        HeldFeed(JobStore delegate) {
            super(delegate);
        }

        @Override
        public void subscribe(FeedListener l) {
            super.subscribe(batch -> {
                synchronized (this) {
                    if (holding) {
                        held.add(() -> l.committed(batch));
                        return;
                    }
                }
                l.committed(batch);
            });
        }

        synchronized void hold() {
            holding = true;
        }

        void release() {
            List<Runnable> due;
            synchronized (this) {
                holding = false;
                due = List.copyOf(held);
                held.clear();
            }
            due.forEach(Runnable::run);
        }
    }

    @Test
    void aJobClaimedAgainByTheSameNodeEndsTheEarlierAttemptThere() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch firstInterrupted = new CountDownLatch(1);
        AtomicInteger starts = new AtomicInteger();
        JobType hold = JobType.of("hold", "the first attempt waits until interrupted", null, (ctx, p) -> {
            starts.incrementAndGet();
            if (ctx.attempt() == 1) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    firstInterrupted.countDown();
                    throw e;
                }
            }
            return Map.of("attempt", ctx.attempt());
        });
        MemoryJobStore store = new MemoryJobStore();
        HeldFeed feed = new HeldFeed(store);
        try (Node a = TestNode.start(feed, EngineOptions.defaults().withNode("a", Duration.ofSeconds(30)), Clock.systemUTC(), hold)) {
            String id = a.engine().submit("hold", null, null).id();
            await().atMost(Duration.ofSeconds(20)).until(() -> starts.get() == 1);
            Job running = store.get(id).orElseThrow();
            assertThat(running.state()).isEqualTo(JobState.RUNNING);

            feed.hold();
            // another node took the job over, taking this one for dead; this node's feed has not told it yet
            Job queued = store.update(Transitions.takeover(running, hold, 3, "node a stopped (no heartbeat)", Instant.now()),
                    running.version()).orElseThrow();
            a.active().offer(queued); // why: the claimer looks only when its view counts a queued job, as with any other one queued
            a.engine().wake();

            await().atMost(Duration.ofSeconds(20)).until(() -> starts.get() == 2);
            assertThat(firstInterrupted.await(20, java.util.concurrent.TimeUnit.SECONDS))
                    .as("the earlier attempt is stopped when the node claims the job again").isTrue();
            feed.release();
            await().atMost(Duration.ofSeconds(20)).until(() -> store.get(id).orElseThrow().isTerminal());
            Job done = store.get(id).orElseThrow();
            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.attempt()).isEqualTo(2);
            assertThat(done.result()).isEqualTo(Json.MAPPER.readTree("{\"attempt\":2}"));
        } finally {
            never.countDown();
        }
    }
}
