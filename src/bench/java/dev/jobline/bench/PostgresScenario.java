package dev.jobline.bench;

import dev.jobline.bench.Results.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of no-op jobs with the PostgreSQL store, on a throwaway server of its own: one node,
 * then (full run only) three nodes on the same database with submits spread round-robin over
 * them. Everything shares this machine's cores: the database, the nodes and this client, whose
 * CPU is reported each on its own row. Skipped with a note when PostgreSQL is not installed.
 */
final class PostgresScenario extends Scenario {
    private static final int CONNECTIONS = 64;
    /** Longest a round submits for; it counts what was answered in that time. */
    private static final int SUBMIT_SECONDS = 20;
    /** Longest a round waits after its submits for every job to finish. */
    private static final int DRAIN_SECONDS = 120;

    PostgresScenario(Bench bench) {
        super(bench, "7. postgres");
    }

    @Override
    void run() throws Exception {
        int jobs = bench.quick ? 1_000 : 20_000;
        for (int nodes : bench.quick ? new int[] {1} : new int[] {1, 3}) {
            try (ThrowawayPostgres pg = ThrowawayPostgres.start()) {
                throughput(pg, nodes, jobs);
            } catch (ThrowawayPostgres.Missing e) {
                bench.notes.add("postgres: skipped, PostgreSQL is not installed here (" + e.getMessage() + ")");
                return;
            } catch (IllegalStateException e) {
                if (bench.quick) throw e;
                bench.notes.add("postgres, " + nodes + " node(s): stopped early, " + e.getMessage()); // why: keep the rest of the full run's table
            }
        }
    }

    /** Starts {@code count} nodes on {@code pg}'s database, named bench-0, bench-1, ... */
    static List<Server> nodes(Bench bench, ThrowawayPostgres pg, int count, String... extra) throws Exception {
        List<Server> servers = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                List<String> options = new ArrayList<>(List.of("--db-url", pg.url, "--node-id", "bench-" + i));
                options.addAll(List.of(extra));
                servers.add(bench.server("postgres", options.toArray(String[]::new)));
            }
            return servers;
        } catch (Exception e) {
            servers.forEach(Server::close);
            throw e;
        }
    }

    private void throughput(ThrowawayPostgres pg, int count, int jobs) throws Exception {
        List<Server> servers = nodes(bench, pg, count);
        List<Loop> loops = new ArrayList<>();
        try {
            List<List<Loop.Conn>> conns = new ArrayList<>();
            for (Server s : servers) {
                Loop loop = new Loop(s.port);
                loops.add(loop);
                conns.add(Bench.open(loop, CONNECTIONS / count));
            }
            Loop.Conn control = Bench.open(loops.get(0), 1).get(0);
            byte[] unfinished = loops.get(0).get("/api/jobs?state=queued,running&limit=1");
            byte[] failed = loops.get(0).get("/api/jobs?state=failed,cancelled&limit=1");
            String name = count == 1 ? "HTTP, 1 node" : "HTTP, " + count + " nodes, submits round-robin";
            for (int round = bench.quick ? 0 : -2; round < bench.rounds(); round++) { // why: two shorter rounds warm the JIT up and are not counted
                int n = round < 0 ? jobs / 4 : jobs;
                long serverCpu = servers.stream().mapToLong(Server::cpuNanos).sum();
                long pgCpu = pg.cpuNanos();
                long clientCpu = Bench.clientCpuNanos();
                List<CompletableFuture<ClosedLoop>> parts = new ArrayList<>();
                for (int i = 0; i < count; i++) parts.add(submit(loops.get(i), conns.get(i), n / count));
                List<ClosedLoop> done = parts.stream().map(CompletableFuture::join).toList();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
                boolean drained;
                while (!(drained = loops.get(0).call(control, unfinished).text().contains("\"jobs\":[]")) && System.nanoTime() < deadline) {
                    Thread.sleep(5); // why: each look is a query on the database; 5 ms apart keeps it out of the way
                }
                long finished = System.nanoTime();
                if (!drained) { // why: a note, not a failure, so that one slow part does not lose the whole run's table
                    bench.notes.add("postgres " + name + ": jobs still unfinished " + DRAIN_SECONDS + " s after the submits; the remaining rounds were not run");
                    return;
                }
                if (!loops.get(0).call(control, failed).text().contains("\"jobs\":[]")) {
                    bench.notes.add("postgres " + name + ": some no-op jobs failed or were cancelled");
                }
                if (round < 0) continue;
                long first = done.stream().mapToLong(r -> r.firstSend).min().orElseThrow();
                long last = done.stream().mapToLong(r -> r.lastDone).max().orElseThrow();
                int completed = done.stream().mapToInt(r -> r.completed).sum();
                int failures = done.stream().mapToInt(r -> r.failed).sum();
                double secs = (finished - first) / 1e9;
                add(name + ", submits answered 202 while they run", "jobs/s", Target.none(), completed / ((last - first) / 1e9));
                add(name + ", submit p99", "ms", Target.none(), p99(done) / 1e6);
                Target target = count == 1 ? Target.atLeast(5_000, ">= 5,000 (PostgreSQL, 1 node)") : Target.none();
                add(name + ", submitted to all finished", "jobs/s", target, completed / secs);
                add(name + ", Jobline CPU" + (count == 1 ? "" : ", all nodes"), "cores", Target.none(),
                        (servers.stream().mapToLong(Server::cpuNanos).sum() - serverCpu) / 1e9 / secs);
                add(name + ", PostgreSQL CPU", "cores", Target.none(), (pg.cpuNanos() - pgCpu) / 1e9 / secs);
                add(name + ", client CPU", "cores", Target.none(), (Bench.clientCpuNanos() - clientCpu) / 1e9 / secs);
                if (failures > 0) bench.notes.add("postgres " + name + ": " + failures + " submits failed");
            }
        } finally {
            loops.forEach(Loop::close);
            servers.forEach(Server::close);
        }
    }

    /** Submits {@code n} no-op jobs from the given connections, closed-loop, on a thread of its own. */
    private static CompletableFuture<ClosedLoop> submit(Loop loop, List<Loop.Conn> conns, int n) {
        byte[] submit = loop.post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":0,\"steps\":1}}");
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ClosedLoop.run(loop, conns, n, TimeUnit.SECONDS.toNanos(SUBMIT_SECONDS), i -> submit, 202);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, r -> Thread.ofPlatform().name("bench-submit").start(r));
    }

    /** The 99th percentile of every submit's latency, over all the loads together, in nanoseconds. */
    private static double p99(List<ClosedLoop> loads) {
        int total = loads.stream().mapToInt(r -> r.completed).sum();
        long[] all = new long[total];
        int k = 0;
        for (ClosedLoop r : loads) {
            System.arraycopy(r.latencies, 0, all, k, r.completed);
            k += r.completed;
        }
        return Stats.percentile(all, total, 99);
    }
}
