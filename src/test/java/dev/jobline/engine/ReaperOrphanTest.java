package dev.jobline.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import dev.jobline.job.JobType;
import dev.jobline.job.Transitions;
import dev.jobline.json.Json;
import dev.jobline.store.ActiveJobs;
import dev.jobline.store.Admission;
import dev.jobline.store.Insert;
import dev.jobline.store.MemoryJobStore;
import dev.jobline.time.FakeTimers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jobs whose end this node could not store (orphans): the reaper takes each over once the store
 * answers, keeps it while the store fails, and drops it when the job has already moved on.
 */
@Timeout(30)
class ReaperOrphanTest {
    private final FakeTimers timers = new FakeTimers();
    private final Instant now = timers.clock().instant();
    private final JobType type = JobType.of("t", "does nothing", null, (c, p) -> null);
    private final MemoryJobStore store = new MemoryJobStore();
    private final FailingGets failing = new FailingGets(store);
    private final ActiveJobs active = new ActiveJobs(timers.clock());
    private final EngineOptions options = EngineOptions.defaults().withNode("a", Duration.ofSeconds(30));
    private final Uploads uploads = new Uploads(store.uploads(), null, options.retention(), timers.clock());
    private final Runner runner = new Runner(failing, active, Map.of("t", type), options, timers, Json.MAPPER, uploads);
    private final Reaper reaper = new Reaper(failing, active, runner, Map.of("t", type), options);

    @AfterEach
    void close() {
        uploads.close();
        store.close();
    }

    /** A job claimed by this node ("a"), and its orphan: its handler ended, its end not stored. */
    private LiveJob orphan() {
        active.attach(store);
        Job queued = Job.queued(UUID.randomUUID().toString(), "t", null, null, now);
        assertThat(store.insert(queued, Admission.NONE)).isInstanceOf(Insert.Inserted.class);
        Job running = store.claim("a", List.of("t"), 1, now).getFirst();
        LiveJob lj = new LiveJob(type, running, new JobLog(running.id(), store, timers, Duration.ofMillis(250), 100));
        runner.orphans.put(lj.id(), lj);
        return lj;
    }

    @Test
    void anOrphanWhoseJobMovedOnIsDroppedNotRetriedForever() {
        LiveJob lj = orphan();
        Job running = store.get(lj.id()).orElseThrow();
        store.update(Transitions.takeover(running, type, 3, "another node took it", now), running.version()).orElseThrow();

        reaper.run(false);
        assertThat(runner.orphans).isEmpty();
        Job j = store.get(lj.id()).orElseThrow();
        assertThat(j.state()).isEqualTo(JobState.QUEUED);
        assertThat(j.attempt()).isEqualTo(1); // why: not touched again by the reaper
    }

    @Test
    void anOrphanStillRunningHereIsKeptWhileTheStoreFailsAndTakenOverOnceItAnswers() {
        LiveJob lj = orphan();
        failing.failing = true;
        reaper.run(false);
        assertThat(runner.orphans).containsOnlyKeys(lj.id());

        failing.failing = false;
        reaper.run(false);
        assertThat(runner.orphans).isEmpty();
        assertThat(store.get(lj.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
    }

    /** The shared store, except that reading a job fails while {@link #failing} is set. */
    private static final class FailingGets extends ForwardingStore {
        volatile boolean failing;

        FailingGets(MemoryJobStore d) {
            super(d);
        }

        @Override
        public java.util.Optional<Job> get(String id) {
            if (failing) throw new IllegalStateException("the store is down");
            return super.get(id);
        }
    }
}
