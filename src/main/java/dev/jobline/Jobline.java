package dev.jobline;

import dev.jobline.job.JobEngine;
import dev.jobline.job.JobType;
import dev.jobline.store.DataLock;
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
    private final DataLock lock;
    private volatile boolean closed;

    private Jobline(Config config, JobEngine engine, Javalin http, DataLock lock) {
        this.config = config;
        this.engine = engine;
        this.http = http;
        this.lock = lock;
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
        DataLock lock = lockData(config);
        JobEngine engine;
        try {
            JobStore store = openStore(config);
            engine = new JobEngine(store, types, config.engineOptions(), config.quotas(), Clock.systemUTC(),
                    Json.MAPPER, Json::job);
        } catch (RuntimeException e) {
            if (lock != null) lock.close();
            throw e;
        }
        Javalin http;
        try {
            engine.start();
            http = HttpApi.create(engine, config.host(), config.port(), config.maxWait(), config.maxBodyBytes(),
                    config.readTimeout(), config.publicDir(), config.tokens());
            http.start();
        } catch (RuntimeException e) {
            engine.close();
            if (lock != null) lock.close();
            if (e instanceof io.javalin.util.JavalinBindException) {
                throw new Config.UsageException("cannot listen on " + config.host() + ":" + config.port()
                        + ": the port is in use by another program; stop it, or pass another --port (0 picks a free one)");
            }
            throw e;
        }
        return new Jobline(config, engine, http, lock);
    }

    /** The data folder's lock, taken before anything in it is read; null for a store that keeps nothing there. */
    private static DataLock lockData(Config config) {
        if (!config.store().equals("sqlite")) return null;
        try {
            return DataLock.acquire(config.data());
        } catch (DataLock.InUseException e) {
            throw new Config.UsageException(e.getMessage());
        }
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
        if (lock != null) lock.close();
    }
}
