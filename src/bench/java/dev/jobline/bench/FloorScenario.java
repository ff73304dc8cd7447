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
}
