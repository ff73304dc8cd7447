package dev.jobline.job;

import dev.jobline.store.JobStore;
import dev.jobline.store.MemoryJobStore;
import dev.jobline.types.SleepJob;
import dev.jobline.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds engines for tests: memory store, sleep plus the given types. */
final class EngineFixture {
    private EngineFixture() {}

    static JobEngine engine(EngineOptions options, Clock clock, JobType... types) {
        return engine(new MemoryJobStore(), options, clock, types);
    }

    static JobEngine engine(JobStore store, EngineOptions options, Clock clock, JobType... types) {
        List<JobType> all = new ArrayList<>(List.of(types));
        all.add(SleepJob.type());
        JobEngine e = new JobEngine(store, all, options, clock, Json.MAPPER, Json::job);
        e.start();
        return e;
    }

    /** An engine whose time stands still until the test moves {@code timers}. */
    static JobEngine engine(dev.jobline.time.Timers timers, JobType... types) {
        List<JobType> all = new ArrayList<>(List.of(types));
        all.add(SleepJob.type());
        JobEngine e = new JobEngine(new MemoryJobStore(), all, EngineOptions.defaults(), Quotas.none(), timers, Json.MAPPER, Json::job);
        e.start();
        return e;
    }

    static JobEngine engine(JobType... types) {
        return engine(EngineOptions.defaults(), Clock.systemUTC(), types);
    }

    static EngineOptions limits(int maxQueued, int maxRunning) {
        EngineOptions d = EngineOptions.defaults();
        return new EngineOptions(maxQueued, maxRunning, d.maxWaiters(), Duration.ofMillis(20), d.retention(), d.maxAttempts());
    }
}
