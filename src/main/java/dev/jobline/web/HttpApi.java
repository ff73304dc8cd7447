package dev.jobline.web;

import dev.jobline.json.Json;
import dev.jobline.callback.CallbackPolicy;
import dev.jobline.engine.JobEngine;
import dev.jobline.watch.JobWatch;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/** Builds the Javalin app: the routes of the contract, problem+json errors, the page, and a server tuned for many waiting clients. */
public final class HttpApi {
    private HttpApi() {}

    /**
     * The app over this node's engine and watch. A long-poll the server holds is not cut by the
     * read timeout: Jetty applies the idle timeout only to a connection between requests or to a
     * read or write in progress, never to a request that is being handled or waits, suspended,
     * for its answer.
     */
    /** Waits (at most {@code d}) for the answers of held requests to be written, so that stopping the server does not fail them. */
    public static void awaitHeldAnswers(java.time.Duration d) {
        long until = System.nanoTime() + d.toNanos();
        while (HeldRequest.held() > 0 && System.nanoTime() < until) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public static Javalin create(JobEngine engine, JobWatch watch, WebOptions o) {
        return create(engine, watch, o, CallbackPolicy.NONE);
    }

    /** The app, accepting the callbacks {@code callbacks} allows. */
    public static Javalin create(JobEngine engine, JobWatch watch, WebOptions o, CallbackPolicy callbacks) {
        return create(engine, watch, o, callbacks, java.util.List::of, Telemetry.NONE);
    }

    /** The app, with {@code GET /metrics} and the access log as {@code telemetry} asks. */
    public static Javalin create(JobEngine engine, JobWatch watch, WebOptions o, CallbackPolicy callbacks, Telemetry telemetry) {
        return create(engine, watch, o, callbacks, java.util.List::of, telemetry);
    }

    /** The app, showing the recurring jobs {@code schedules} lists at {@code GET /api/schedules}. */
    public static Javalin create(JobEngine engine, JobWatch watch, WebOptions o, CallbackPolicy callbacks,
                                 java.util.function.Supplier<java.util.List<dev.jobline.schedule.Scheduler.Info>> schedules) {
        return create(engine, watch, o, callbacks, schedules, Telemetry.NONE);
    }

    /** The app, with its recurring jobs, {@code GET /metrics} and the access log. */
    public static Javalin create(JobEngine engine, JobWatch watch, WebOptions o, CallbackPolicy callbacks,
                                 java.util.function.Supplier<java.util.List<dev.jobline.schedule.Scheduler.Info>> schedules,
                                 Telemetry telemetry) {
        String host = o.host();
        int port = o.port();
        long maxBodyBytes = o.maxBodyBytes();
        Duration readTimeout = o.readTimeout();
        Path publicDir = o.publicDir();
        Tokens tokens = o.tokens();
        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("jobline-http");
        threads.setMaxConcurrentTasks(100_000); // why: the default of 200 would queue requests behind each other
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.threadPool = threads;
            config.jetty.modifyServer(server -> {
                server.setErrorHandler(new JsonErrorHandler());
                server.setHandler(new BodyLimit(maxBodyBytes, o.maxUploadBytes())); // why: Javalin mounts its servlet inside this wrapper
            });
            config.jetty.addConnector((server, http) -> {
                http.setSendServerVersion(false);
                // why: Jetty's per-connection header cache is two ~45 KB char tables, built at a connection's
                // second request and kept while it is open: ~100 KB for every long-poll connection
                http.setHeaderCacheSize(0);
                ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
                c.setHost(host);
                c.setPort(port);
                c.setAcceptQueueSize(8192); // why: the default backlog of 50 makes a burst of clients wait a second for SYN retries
                c.setIdleTimeout(readTimeout.toMillis());
                return c;
            });
            config.http.maxRequestSize = maxBodyBytes;
            config.http.asyncTimeout = 0; // why: every long-poll ends itself when its wait passes
            config.http.prefer405over404 = true;
            config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            if (publicDir != null && Files.isDirectory(publicDir)) {
                config.staticFiles.add(files -> PageHeaders.serve(files, publicDir.toAbsolutePath().toString(), Location.EXTERNAL));
            } else {
                config.staticFiles.add(files -> PageHeaders.serve(files, "/public", Location.CLASSPATH));
            }
            // why: a JSON answer (or a problem echoing a client's text) must never be sniffed into HTML or script
            for (String path : new String[] {"/api/*", "/health", "/openapi.json"}) {
                config.routes.before(path, Problems::nosniff);
            }
            config.routes.get("/health", ctx -> {
                if (engine.isDraining()) {
                    Problems.send(ctx, Problem.of(503, "draining", "Shutting down", "the server is shutting down").retryAfter(5));
                } else {
                    JobRoutes.sendJson(ctx, "{\"status\":\"ok\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            });
            Auth auth = new Auth(tokens);
            config.routes.before("/api/*", auth::authenticate);
            UploadRoutes uploads = new UploadRoutes(engine, o.maxUploadBytes(), o.maxBodyBytes());
            StreamRoutes streams = new StreamRoutes(engine, watch, o.streams());
            new JobRoutes(engine, watch, o.maxWait(), callbacks).multipartSubmit(uploads::submit).streams(streams).register(config.routes);
            new DeliveryRoutes(engine).register(config.routes);
            new BatchRoutes(engine, callbacks).register(config.routes);
            new NodeRoutes(engine).register(config.routes);
            new ScheduleRoutes(schedules).register(config.routes);
            new LogRoutes(engine, watch.logs(), o.maxWait()).streams(streams).register(config.routes);
            uploads.register(config.routes);
            OpenApiRoute.register(config.routes);
            if (telemetry.metrics() != null) new MetricsRoute(auth, telemetry.metrics(), telemetry.contentType()).register(config.routes);
            if (telemetry.accessLog() != null) AccessLog.install(config, telemetry.accessLog());
            Problems.register(config.routes);
        });
    }
}
