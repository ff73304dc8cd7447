package dev.jobline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.job.Job;
import dev.jobline.job.Progress;
import dev.jobline.job.Transitions;
import dev.jobline.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A job's end taken from this node's own write while the feed hands the view an older version of
 * the same job (read before the end was committed): the view must not hold the older version
 * afterwards. It would hold it for good: the store's row is terminal and never changes again, so
 * no later version comes to replace it, and the reaper leaves a living node's jobs alone.
 */
@Timeout(30)
class ActiveJobsEndRaceTest {

    /** A clock whose next reading, once armed, waits for the test: ActiveJobs reads it while it takes an end. */
    private static final class HeldClock extends Clock {
        final AtomicBoolean armed = new AtomicBoolean();
        final CountDownLatch reading = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public long millis() {
            if (armed.compareAndSet(true, false)) {
                reading.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return 1_000_000L;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void anOlderVersionFromTheFeedThatRacesTheLocalEndDoesNotStayInTheView() throws Exception {
        HeldClock clock = new HeldClock();
        ActiveJobs active = new ActiveJobs(clock);
        Instant now = Instant.parse("2026-12-06T10:00:00Z");
        Job v1 = Job.queued("j1", "sleep", Json.MAPPER.createObjectNode(), null, now);
        Job v2 = Transitions.claim(v1, "node-0", now);
        Job v3 = Transitions.progress(v2, Progress.of(19, 20, "step 19 of 20"), now); // the feed read this one
        Job v4 = Transitions.finish(v3, null, Json.MAPPER.createObjectNode(), null, now); // this node's own write of the end
        active.offer(v2);

        // the node's writer takes the end; it is held inside the view's update, before the end is remembered
        clock.armed.set(true);
        Thread local = Thread.ofPlatform().name("local-end").start(() -> active.offer(v4));
        assertThat(clock.reading.await(10, TimeUnit.SECONDS)).isTrue();
        // the feed's reader hands over v3 (read before v4 was committed): it checks the ended versions now, before v4 is there
        Thread feed = Thread.ofPlatform().name("feed").start(() -> active.committed(new FeedListener.Batch(List.of(v3), List.of(), 3)));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                .until(() -> feed.getState() == Thread.State.BLOCKED || !feed.isAlive());
        clock.release.countDown();
        local.join();
        feed.join();

        assertThat(active.get("j1")).as("the view after the end (v4) and a late copy of v3").isEmpty();
        assertThat(active.running()).isZero();
    }
}
