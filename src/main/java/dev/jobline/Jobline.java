package dev.jobline;

import dev.jobline.callback.Deliveries;
import dev.jobline.commands.Commands;
import dev.jobline.engine.JobEngine;
import dev.jobline.job.JobType;
import dev.jobline.schedule.Schedule;
import dev.jobline.schedule.Scheduler;
import dev.jobline.schedule.SchedulesFile;
import dev.jobline.metrics.JobEvents;
import dev.jobline.metrics.Metrics;
import dev.jobline.store.DataLock;
import dev.jobline.store.JobStore;
import dev.jobline.store.MemoryJobStore;
import dev.jobline.store.PostgresJobStore;
import dev.jobline.store.SqliteJobStore;
import dev.jobline.time.Timers;
import dev.jobline.types.DigestJob;
import dev.jobline.types.SleepJob;
import dev.jobline.watch.JobWatch;
import dev.jobline.watch.Snapshot;
import dev.jobline.web.HttpApi;
import dev.jobline.web.Telemetry;
import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * A running Jobline: a {@link Node} (store, engine, watch) with the HTTP server in front, wired by
 * hand. Embed it with {@code Jobline.start(Config.defaults().withPort(0), myType)}; {@link #close()}
 * drains and stops.
 */
public final class Jobline implements AutoCloseable {
    private final Config config;
    private final Node node;
    private final Javalin http;
    private final DataLock lock;
    private final Deliveries deliveries;
    private final Commands commands;
    private final Scheduler scheduler;
    private final List<QueuedLog> logs;
    private volatile boolean closed;

    private Jobline(Config config, Node node, Javalin http, DataLock lock, Deliveries deliveries, Commands commands, Scheduler scheduler,
                    List<QueuedLog> logs) {
        this.config = config;
        this.node = node;
        this.http = http;
        this.lock = lock;
        this.deliveries = deliveries;
        this.commands = commands;
        this.scheduler = scheduler;
        this.logs = logs;
    }

    /** Starts a server with the built-in types and {@code extraTypes}. */
    public static Jobline start(Config config, JobType... extraTypes) {
        List<JobType> types = new ArrayList<>();
        types.add(SleepJob.type());
        types.add(DigestJob.type());
        types.addAll(List.of(extraTypes));
        Commands commands = commands(config, types);
        types.addAll(commands.types());
        List<Schedule> schedules = schedules(config, types);
        if (config.tokens() == null && !config.allowNoTokens() && !isLoopback(config.host())) {
            throw new Config.UsageException("without tokens Jobline listens on loopback only; declare tokens (--tokens) "
                    + "or pass --allow-no-tokens true to listen on " + config.host());
        }
        DataLock lock = lockData(config);
        Node node;
        Timers timers = Timers.system(Clock.systemUTC());
        try {
            node = Node.start(openStore(config), types, config.engineOptions(), config.quotas(), timers);
        } catch (RuntimeException e) {
            if (lock != null) lock.close();
            throw e;
        }
        Scheduler scheduler = new Scheduler(node.store(), schedules, timers, r -> Thread.ofVirtual().name("jobline-schedule").start(r),
                node.engine()::isDraining);
        Javalin http;
        List<QueuedLog> logs = new ArrayList<>();
        try {
            http = HttpApi.create(node.engine(), node.watch(), config.webOptions(), config.callbacks().policy(), scheduler::list,
                    telemetry(config, node, logs));
            http.start();
        } catch (RuntimeException e) {
            node.close();
            logs.forEach(QueuedLog::close);
            if (lock != null) lock.close();
            if (e instanceof io.javalin.util.JavalinBindException) {
                throw new Config.UsageException("cannot listen on " + config.host() + ":" + config.port()
                        + ": the port is in use by another program; stop it, or pass another --port (0 picks a free one)");
            }
            throw e;
        }
        Deliveries deliveries = Deliveries.start(node.store(), config.callbacks(), node.engine().nodeId(), timers);
        scheduler.start();
        return new Jobline(config, node, http, lock, deliveries, commands, scheduler, logs);
    }

    /** The recurring jobs (--schedules), checked against the job types before anything starts. */
    private static List<Schedule> schedules(Config config, List<JobType> types) {
        if (config.schedules() == null) return List.of();
        try {
            return SchedulesFile.read(config.schedules(), types.stream().collect(Collectors.toMap(JobType::name, t -> t)));
        } catch (SchedulesFile.Invalid e) {
            throw new Config.UsageException(e.getMessage());
        }
    }

    /**
     * Metrics and the access log as the config asks, hooked to the node (job event lines go with
     * the access log); the loggers' writer threads join {@code logs}, to be closed last.
     */
    private static Telemetry telemetry(Config config, Node node, List<QueuedLog> logs) {
        Config.Monitoring m = config.monitoring();
        Metrics metrics = m.metrics() ? Metrics.watch(node.active(), node.watch(), node.store(),
                node.engine().types().stream().map(JobType::name).toList(), node.engine().nodeId()) : null;
        QueuedLog access = null;
        if (m.accessLog()) {
            QueuedLog events = new QueuedLog(LoggerFactory.getLogger("jobline.events"));
            access = new QueuedLog(LoggerFactory.getLogger("jobline.access"));
            logs.add(events);
            logs.add(access);
            node.active().listen(new JobEvents(events, node.engine().nodeId(), node.store().exclusive()));
        }
        return new Telemetry(metrics == null ? null : metrics::scrape, Metrics.CONTENT_TYPE, access);
    }

    /** The operator's declared commands (--commands), checked before anything starts. */
    private static Commands commands(Config config, List<JobType> types) {
        if (config.commands() == null) return Commands.none();
        try {
            return Commands.load(config.commands(), types.stream().map(JobType::name).collect(Collectors.toSet()), System.getenv());
        } catch (Commands.Invalid e) {
            throw new Config.UsageException(e.getMessage());
        }
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
            case "postgres" -> PostgresJobStore.open(config.dbUrl());
            default -> throw new Config.UsageException("unknown store " + config.store());
        };
    }

    public JobEngine engine() {
        return node.engine();
    }

    public JobWatch watch() {
        return node.watch();
    }

    /** The job's snapshot once its version passes {@code after} (or it is terminal), or after {@code wait}: the long-poll, in Java. */
    public CompletableFuture<Snapshot> awaitChange(String id, long after, Duration wait) {
        return node.watch().awaitJob(id, after, wait);
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
        scheduler.close();
        node.drain(config.grace());
        commands.close(); // why: a command's processes that outlived the drain end with the server
        // why: released waiters are answered on other threads; stopping the server first would fail them with a 500
        HttpApi.awaitHeldAnswers(Duration.ofSeconds(2));
        http.stop();
        deliveries.close();
        node.close();
        logs.forEach(QueuedLog::close);
        if (lock != null) lock.close();
    }
}
