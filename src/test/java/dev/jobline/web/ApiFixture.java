package dev.jobline.web;

import dev.jobline.json.Json;
import dev.jobline.job.EngineOptions;
import dev.jobline.job.JobEngine;
import dev.jobline.job.JobType;
import dev.jobline.store.MemoryJobStore;
import dev.jobline.types.SleepJob;
import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The real HTTP app over a memory store, for JavalinTest. */
final class ApiFixture {
    final JobEngine engine;
    final Javalin app;

    ApiFixture(EngineOptions options, JobType... types) {
        List<JobType> all = new ArrayList<>(List.of(types));
        all.add(SleepJob.type());
        engine = new JobEngine(new MemoryJobStore(), all, options, Clock.systemUTC(), Json.MAPPER, Json::job);
        engine.start();
        app = HttpApi.create(engine, "127.0.0.1", 0, Duration.ofSeconds(120), 64 * 1024, null);
    }

    ApiFixture(JobType... types) {
        this(EngineOptions.defaults(), types);
    }
}
