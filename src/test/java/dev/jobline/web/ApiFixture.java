package dev.jobline.web;

import dev.jobline.Node;
import dev.jobline.TestNode;
import dev.jobline.engine.EngineOptions;
import dev.jobline.engine.JobEngine;
import dev.jobline.engine.Quotas;
import dev.jobline.job.JobType;
import dev.jobline.store.MemoryJobStore;
import dev.jobline.time.Timers;
import dev.jobline.watch.JobWatch;
import io.javalin.Javalin;
import java.time.Clock;

/** The real HTTP app over a node with a memory store, for JavalinTest. */
final class ApiFixture {
    final Node node;
    final JobEngine engine;
    final JobWatch watch;
    final Javalin app;

    ApiFixture(EngineOptions options, Quotas quotas, Timers timers, WebOptions web, JobType... types) {
        node = TestNode.start(new MemoryJobStore(), options, quotas, timers, types);
        engine = node.engine();
        watch = node.watch();
        app = HttpApi.create(engine, watch, web);
    }

    ApiFixture(WebOptions web, JobType... types) {
        this(EngineOptions.defaults(), Quotas.none(), Timers.system(Clock.systemUTC()), web, types);
    }

    ApiFixture(Quotas quotas, WebOptions web, JobType... types) {
        this(EngineOptions.defaults(), quotas, Timers.system(Clock.systemUTC()), web, types);
    }

    ApiFixture(EngineOptions options, JobType... types) {
        this(options, Quotas.none(), Timers.system(Clock.systemUTC()), WebOptions.local(), types);
    }

    ApiFixture(JobType... types) {
        this(EngineOptions.defaults(), types);
    }
}
