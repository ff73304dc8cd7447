package dev.jobline.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.Node;
import dev.jobline.TestNode;
import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import dev.jobline.job.JobType;
import dev.jobline.store.MemoryJobStore;
import dev.jobline.time.FakeTimers;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Progress reaches the store at a bounded rate, whatever the handler's rate: at most once per flush interval per job. */
@Timeout(30)
class ProgressRateTest {
    private static final int REPORTS = 10_000;

    /** Counts the compare-and-set writes that reach the store. */
    private static final class CountingStore extends ForwardingStore {
        final AtomicInteger updates = new AtomicInteger();

        CountingStore() {
            super(new MemoryJobStore());
        }

        @Override
        public Optional<Job> update(Job next, long expected) {
            updates.incrementAndGet();
            return super.update(next, expected);
        }
    }

    @Test
    void tenThousandReportsWhileTheClockStandsStillAreOneWriteAndTheLatestIsWrittenOnceTheFlushIntervalPasses() throws Exception {
        FakeTimers timers = new FakeTimers();
        CountingStore store = new CountingStore();
        CountDownLatch firstWritten = new CountDownLatch(1);
        CountDownLatch reported = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        JobType chatty = JobType.of("chatty", "reports often", null, (ctx, p) -> {
            ctx.progress(1, REPORTS, "step 1");
            firstWritten.await();
            for (int i = 2; i <= REPORTS; i++) ctx.progress(i, REPORTS, "step " + i);
            reported.countDown();
            finish.await();
            return null;
        });
        Duration flush = Duration.ofMillis(250);
        EngineOptions options = EngineOptions.defaults().withTimings(flush, Duration.ofHours(24));
        try (Node node = TestNode.start(store, options, Quotas.none(), timers, chatty)) {
            JobEngine e = node.engine();
            Job queued = e.submit("chatty", null, null);
            await().atMost(Duration.ofSeconds(10)).until(() -> store.get(queued.id()).orElseThrow().progress().done() != null);
            firstWritten.countDown(); // the first report was written at once; the next 9,999 come while the clock stands still
            reported.await();
            Job first = store.get(queued.id()).orElseThrow();
            assertThat(first.progress().done()).isEqualTo(1);
            assertThat(store.updates).as("writes while the clock stands still").hasValue(1);
            assertThat(first.version()).isEqualTo(queued.version() + 2); // claimed, then one progress

            timers.advance(flush);
            await().atMost(Duration.ofSeconds(10)).until(() -> store.get(queued.id()).orElseThrow().progress().done() == REPORTS);
            assertThat(store.updates).hasValue(2);
            assertThat(store.get(queued.id()).orElseThrow().progress().message()).isEqualTo("step " + REPORTS);

            finish.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> store.get(queued.id()).orElseThrow().isTerminal());
            Job done = store.get(queued.id()).orElseThrow();
            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.version()).as("queued, claimed, two progress writes, the end").isEqualTo(queued.version() + 4);
            assertThat(store.updates).hasValue(3);
        } finally {
            firstWritten.countDown();
            finish.countDown();
        }
    }
}
