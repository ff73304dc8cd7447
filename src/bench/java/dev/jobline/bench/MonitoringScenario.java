package dev.jobline.bench;

import dev.jobline.bench.Results.Target;
import java.util.List;

/**
 * What metrics and the access log cost: the floor and the wake of the scenarios before, on a
 * server with {@code --metrics off --access-log off}, one with metrics on alone, and one with both
 * on (the default), taken in turn in each repetition so that the machine's load falls on all alike. With both on,
 * every request writes an access line (read and dropped by this client, as a log shipper would
 * take it), every wake is timed and every job move counted. The scrape itself is timed as well.
 */
final class MonitoringScenario extends Scenario {
    MonitoringScenario(Bench bench) {
        super(bench, "11. monitoring on and off");
    }

    @Override
    void run() throws Exception {
        for (int round = 0; round < bench.rounds(); round++) {
            measure("off", "off", "both off");
            measure("on", "off", "metrics on");
            measure("on", "on", "both on");
        }
    }

    private void measure(String metrics, String accessLog, String label) throws Exception {
        int parallel = bench.quick ? 20_000 : 200_000;
        int sequential = bench.quick ? 2_000 : 10_000;
        long window = (bench.quick ? 1 : 3) * 1_000_000_000L;
        int wakes = bench.quick ? 20 : 100;
        int many = bench.quick ? 100 : 1_000;
        try (Server server = bench.server("memory", "--metrics", metrics, "--access-log", accessLog); Loop loop = new Loop(server.port)) {
            byte[] health = loop.get("/health");
            List<Loop.Conn> one = Bench.open(loop, 1);
            List<Loop.Conn> conns = Bench.open(loop, 64);
            ClosedLoop.run(loop, conns, parallel / 4, window, i -> health, 200); // warm-up
            ClosedLoop lat = ClosedLoop.run(loop, one, sequential, window, i -> health, 200);
            add("GET /health one at a time, p50, " + label, "us", Target.none(), lat.micros(50));
            long serverCpu = server.cpuNanos();
            ClosedLoop tp = ClosedLoop.run(loop, conns, parallel, window, i -> health, 200);
            add("GET /health from 64 connections, " + label, "requests/s", Target.none(), tp.perSecond());
            add("  server CPU per request, " + label, "us", Target.none(), (server.cpuNanos() - serverCpu) / 1e3 / tp.completed);
            loop.closeAll(conns);

            Loop.Conn control = Bench.open(loop, 1).get(0);
            List<Loop.Conn> single = Bench.open(loop, 1);
            for (int i = 0; i < 5; i++) WakeScenario.wake(server, loop, control, single); // warm-up
            long[] each = new long[wakes];
            for (int i = 0; i < wakes; i++) each[i] = WakeScenario.wake(server, loop, control, single).nanos()[0];
            add("wake of 1 waiter, p50 of " + wakes + ", " + label, "ms", Target.none(), Stats.percentile(each, wakes, 50) / 1e6);
            add("wake of 1 waiter, p99 of " + wakes + ", " + label, "ms", Target.none(), Stats.percentile(each, wakes, 99) / 1e6);
            loop.closeAll(single);
            List<Loop.Conn> crowd = Bench.open(loop, many);
            WakeScenario.wake(server, loop, control, crowd); // warm-up at this size
            WakeScenario.Wake w = WakeScenario.wake(server, loop, control, crowd);
            add(String.format("wake of %,d waiters, last, %s", many, label), "ms", Target.none(), Stats.max(w.nanos(), w.answered()) / 1e6);
            add(String.format("  server CPU per waiter woken, %s", label), "us", Target.none(), w.serverCpuNanos() / 1e3 / many);
            loop.closeAll(crowd);
            if (metrics.equals("on") && accessLog.equals("on")) {
                byte[] scrape = loop.get("/metrics");
                loop.call(control, scrape); // warm-up
                long t0 = System.nanoTime();
                int scrapes = 20;
                for (int i = 0; i < scrapes; i++) {
                    Loop.Response r = loop.call(control, scrape);
                    if (r.status() != 200) throw new IllegalStateException("GET /metrics answered " + r.status());
                }
                add("GET /metrics (one scrape)", "ms", Target.none(), (System.nanoTime() - t0) / 1e6 / scrapes);
            }
            if (tp.failed + lat.failed > 0) bench.notes.add("monitoring " + label + ": " + (tp.failed + lat.failed) + " requests failed");
        }
    }
}
