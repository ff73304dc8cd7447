package dev.jobline.bench;

import dev.jobline.bench.Results.Target;
import java.util.List;

/**
 * The floor: {@code GET /health} on the same server, one request at a time for latency and from
 * 64 keep-alive connections for throughput. Every other number is read against these.
 */
final class FloorScenario extends Scenario {
    FloorScenario(Bench bench) {
        super(bench, "1. floor");
    }

    @Override
    void run() throws Exception {
        int sequential = bench.quick ? 2_000 : 20_000;
        int parallel = bench.quick ? 20_000 : 300_000;
        long window = (bench.quick ? 1 : 3) * 1_000_000_000L;
        try (Server server = bench.server("memory"); Loop loop = new Loop(server.port)) {
            byte[] health = loop.get("/health");
            List<Loop.Conn> one = Bench.open(loop, 1);
            List<Loop.Conn> many = Bench.open(loop, 64);
            ClosedLoop.run(loop, one, sequential, window, i -> health, 200); // warm-up
            ClosedLoop.run(loop, many, parallel, window, i -> health, 200);
            for (int round = 0; round < bench.rounds(); round++) {
                ClosedLoop lat = ClosedLoop.run(loop, one, sequential, window, i -> health, 200);
                add("GET /health one at a time, p50", "us", Target.none(), lat.micros(50));
                add("GET /health one at a time, p99", "us", Target.none(), lat.micros(99));
                double[] idle = afterIdle(loop, one.get(0), health, bench.quick ? 20 : 200);
                add("GET /health after 20 ms idle (as each wake of one waiter is), p50", "us", Target.none(), Stats.percentile(idle, 50));
                add("GET /health after 20 ms idle, p99", "us", Target.none(), Stats.percentile(idle, 99));
                long serverCpu = server.cpuNanos();
                long clientCpu = Bench.clientCpuNanos();
                ClosedLoop tp = ClosedLoop.run(loop, many, parallel, window, i -> health, 200);
                double secs = tp.seconds();
                add("GET /health from 64 connections", "requests/s", Target.none(), tp.perSecond());
                add("  server CPU during it", "cores", Target.none(), (server.cpuNanos() - serverCpu) / 1e9 / secs);
                add("  client CPU during it", "cores", Target.none(), (Bench.clientCpuNanos() - clientCpu) / 1e9 / secs);
                add("  server CPU per request", "us", Target.none(), (server.cpuNanos() - serverCpu) / 1e3 / tp.completed);
                if (tp.failed + lat.failed > 0) bench.notes.add("floor: " + (tp.failed + lat.failed) + " requests failed");
            }
        }
    }

    /**
     * Single requests, each after 20 ms of nothing: what one request costs once both processes
     * (and this virtual machine's cores) have gone idle, the situation of a long-poll woken by a
     * rare change.
     */
    private static double[] afterIdle(Loop loop, Loop.Conn conn, byte[] request, int samples) throws InterruptedException {
        double[] micros = new double[samples];
        for (int i = 0; i < samples; i++) {
            Thread.sleep(20);
            long[] sent = new long[1];
            java.util.concurrent.CompletableFuture<Long> done = new java.util.concurrent.CompletableFuture<>();
            loop.execute(() -> {
                sent[0] = System.nanoTime();
                conn.send(request, (c, status, body, at) -> done.complete(at));
            });
            micros[i] = (done.join() - sent[0]) / 1e3;
        }
        return micros;
    }
}
