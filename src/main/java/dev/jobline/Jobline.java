package dev.jobline;

import dev.jobline.job.JobEngine;
import dev.jobline.job.JobType;
import dev.jobline.store.JobStore;
import dev.jobline.store.MemoryJobStore;
import dev.jobline.store.SqliteJobStore;
import dev.jobline.types.SleepJob;
import dev.jobline.web.HttpApi;
import dev.jobline.web.Json;
import io.javalin.Javalin;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A running Jobline: store, engine and HTTP server, wired by hand. Embed it with
 * {@code Jobline.start(Config.defaults().withPort(0), myType)}; {@link #close()} drains and stops.
 */
public final class Jobline implements AutoCloseable {
    private final Config config;
    private final JobEngine engine;
    private final Javalin http;
    private volatile boolean closed;

    private Jobline(Config config, JobEngine engine, Javalin http) {
        this.config = config;
        this.engine = engine;
        this.http = http;
    }

    /** Starts a server with the built-in types and {@code extraTypes}. */
    public static Jobline start(Config config, JobType... extraTypes) {
        List<JobType> types = new ArrayList<>();
        types.add(SleepJob.type());
        types.addAll(List.of(extraTypes));
        if (config.tokens() == null && !config.allowNoTokens() && !isLoopback(config.host())) {
            throw new Config.UsageException("without tokens Jobline listens on loopback only; declare tokens (--tokens) "
                    + "or pass --allow-no-tokens true to listen on " + config.host());
        }
        JobStore store = openStore(config);
        JobEngine engine = new JobEngine(store, types, config.engineOptions(), config.quotas(), Clock.systemUTC(),
                Json.MAPPER, Json::job);
        engine.start();
        Javalin http = HttpApi.create(engine, config.host(), config.port(), config.maxWait(), config.maxBodyBytes(),
                config.readTimeout(), config.publicDir(), config.tokens());
        try {
            http.start();
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        return new Jobline(config, engine, http);
    }

    private static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            throw new Config.UsageException("--host " + host + " is not an address of this machine");
        }
    }

    static JobStore openStore(Config config) {
        return switch (config.store()) {
            case "memory" -> new MemoryJobStore();
            case "sqlite" -> SqliteJobStore.open(config.data());
            default -> throw new Config.UsageException("unknown store " + config.store());
        };
    }

    public JobEngine engine() {
        return engine;
    }

    public int port() {
        return http.port();
    }

    /** The address clients use, with the real port. */
    public String url() {
        return "http://" + config.host() + ":" + port();
    }

    /** Drains (new jobs get 503, waiters are answered, running jobs get the grace period), then stops. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        engine.drain(config.grace());
        http.stop();
        engine.close();
    }
}
