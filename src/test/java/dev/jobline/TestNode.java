package dev.jobline;

import dev.jobline.engine.EngineOptions;
import dev.jobline.engine.Quotas;
import dev.jobline.job.JobType;
import dev.jobline.store.JobStore;
import dev.jobline.store.MemoryJobStore;
import dev.jobline.time.Timers;
import dev.jobline.types.SleepJob;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds nodes for tests: a memory store unless given one, sleep plus the given types. */
public final class TestNode {
    private TestNode() {}

    public static Node start(JobStore store, EngineOptions options, Quotas quotas, Timers timers, JobType... types) {
        List<JobType> all = new ArrayList<>(List.of(types));
        all.add(SleepJob.type());
        return Node.start(store, all, options, quotas, timers);
    }

    public static Node start(JobStore store, EngineOptions options, Clock clock, JobType... types) {
        return start(store, options, Quotas.none(), Timers.system(clock), types);
    }

    public static Node start(EngineOptions options, Clock clock, JobType... types) {
        return start(new MemoryJobStore(), options, clock, types);
    }

    public static Node start(Timers timers, JobType... types) {
        return start(new MemoryJobStore(), EngineOptions.defaults(), Quotas.none(), timers, types);
    }

    public static Node start(JobType... types) {
        return start(EngineOptions.defaults(), Clock.systemUTC(), types);
    }

    /** The defaults with these queue and running limits, and progress written every 20 ms. */
    public static EngineOptions limits(int maxQueued, int maxRunning) {
        return EngineOptions.defaults().withLimits(maxQueued, maxRunning).withTimings(Duration.ofMillis(20), Duration.ofHours(24));
    }
}
