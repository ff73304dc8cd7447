package dev.jobline.bench;

import dev.jobline.bench.Results.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Delayed jobs on one node with its SQLite file: how late each starts against its {@code runAt}
 * (the {@code startedAt} its node stamped minus the time asked for, both from this machine's one clock), and what 100,000 delayed
 * jobs waiting cost the server while none is due: CPU over an idle stretch and the heap after a GC.
 * Then the lateness on two nodes sharing a throwaway PostgreSQL (not in the quick run).
 */
final class DelayedScenario extends Scenario {
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final Pattern RUN_AT = Pattern.compile("\"runAt\":\"([^\"]+)\"");
    private static final Pattern STARTED = Pattern.compile("\"startedAt\":\"([^\"]+)\"");
    private static final Pattern CREATED = Pattern.compile("\"createdAt\":\"([^\"]+)\"");

    DelayedScenario(Bench bench) {
        super(bench, "9. delayed");
    }

    @Override
    void run() throws Exception {
        int timed = bench.quick ? 20 : 200;
        int waiting = bench.quick ? 10_000 : 100_000;
        try (Server server = bench.server("sqlite"); Loop loop = new Loop(server.port)) {
            List<Loop.Conn> conns = Bench.open(loop, 16);
            lateness(loop, conns, 20); // warm-up
            for (int round = 0; round < bench.rounds(); round++) {
                double[] late = lateness(loop, conns, timed);
                add("start after runAt, p50 of " + timed, "ms", Target.none(), Stats.percentile(late, 50));
                add("start after runAt, p99 of " + timed, "ms", Target.atMost(5, "p99 <= 5 ms"), Stats.percentile(late, 99));
            }
            long t0 = System.nanoTime();
            byte[] later = loop.post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":0},\"delay\":\"2h\"}");
            ClosedLoop submitted = ClosedLoop.run(loop, conns, waiting, 300_000_000_000L, i -> later, 202);
            if (submitted.failed > 0) bench.notes.add("delayed: " + submitted.failed + " of the waiting jobs' submits failed");
            add(String.format("submit %,d delayed jobs", waiting), "jobs/s", Target.none(), waiting / ((System.nanoTime() - t0) / 1e9));
            server.awaitQuiet(5, 60_000);
            for (int round = 0; round < bench.rounds(); round++) {
                long cpu = server.cpuNanos();
                long idleNanos = (bench.quick ? 2 : 10) * 1_000_000_000L;
                Thread.sleep(idleNanos / 1_000_000);
                add(String.format("%,d delayed jobs waiting, none due: server CPU", waiting), "cores", Target.none(),
                        (server.cpuNanos() - cpu) / (double) idleNanos);
                add(String.format("%,d delayed jobs waiting: heap after GC", waiting), "MiB", Target.none(), server.heapAfterGcBytes() / 1048576.0);
                double[] late = lateness(loop, conns, bench.quick ? 20 : 100);
                add(String.format("start after runAt with %,d waiting, p99", waiting), "ms", Target.atMost(5, "p99 <= 5 ms"),
                        Stats.percentile(late, 99));
            }
        }
        if (!bench.quick) cluster(timed);
    }

    /** The same lateness on two nodes sharing a throwaway PostgreSQL, every job submitted to the first; either may start it. */
    private void cluster(int timed) throws Exception {
        try (ThrowawayPostgres pg = ThrowawayPostgres.start()) {
            List<Server> nodes = PostgresScenario.nodes(bench, pg, 2);
            try (Loop loop = new Loop(nodes.get(0).port)) {
                List<Loop.Conn> conns = Bench.open(loop, 16);
                lateness(loop, conns, 20); // warm-up
                for (int round = 0; round < bench.rounds(); round++) {
                    double[] late = lateness(loop, conns, timed);
                    add("2 PostgreSQL nodes: start after runAt, p50 of " + timed, "ms", Target.none(), Stats.percentile(late, 50));
                    add("2 PostgreSQL nodes: start after runAt, p99 of " + timed, "ms", Target.atMost(5, "p99 <= 5 ms"),
                            Stats.percentile(late, 99));
                }
            } finally {
                nodes.forEach(Server::close);
            }
        } catch (ThrowawayPostgres.Missing e) {
            bench.notes.add("delayed: the cluster rows are skipped, PostgreSQL is not installed here (" + e.getMessage() + ")");
        }
    }

    /**
     * Submits {@code n} jobs due from 3 s on, 5 ms apart, waits for them to start, and returns each
     * one's start minus its runAt, in ms; a job stored only after its runAt had passed (a slow
     * submit on a busy machine) is left out, as its lateness is the submit's.
     */
    private double[] lateness(Loop loop, List<Loop.Conn> conns, int n) throws Exception {
        Instant first = Instant.now().plusSeconds(3);
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        ClosedLoop.run(loop, conns, n, 300_000_000_000L, i -> loop.post("/api/jobs",
                "{\"type\":\"sleep\",\"params\":{\"seconds\":0},\"runAt\":\"" + first.plusMillis(5L * i) + "\"}"), 202, body -> {
                    Matcher m = ID.matcher(new String(body, java.nio.charset.StandardCharsets.UTF_8));
                    if (m.find()) ids.add(m.group(1));
                });
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), first.plusMillis(5L * n)).toMillis()) + 200);
        List<Double> late = new ArrayList<>();
        Loop.Conn c = conns.get(0);
        for (int i = 0; i < ids.size(); i++) {
            String job;
            long until = System.nanoTime() + 30_000_000_000L;
            do {
                job = loop.call(c, loop.get("/api/jobs/" + ids.get(i))).text();
            } while (!job.contains("\"startedAt\":\"") && System.nanoTime() < until && sleep());
            Matcher r = RUN_AT.matcher(job);
            Matcher s = STARTED.matcher(job);
            Matcher k = CREATED.matcher(job);
            if (!r.find() || !s.find() || !k.find()) throw new IllegalStateException("job did not start: " + job);
            Instant runAt = Instant.parse(r.group(1));
            if (!Instant.parse(k.group(1)).isBefore(runAt)) continue;
            late.add(Duration.between(runAt, Instant.parse(s.group(1))).toNanos() / 1e6);
        }
        if (late.size() < ids.size()) bench.notes.add("delayed: " + (ids.size() - late.size()) + " of " + ids.size()
                + " jobs were stored after their runAt and are not counted");
        return late.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(50);
        return true;
    }
}
