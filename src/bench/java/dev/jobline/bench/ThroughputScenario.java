package dev.jobline.bench;

import dev.jobline.bench.Results.Target;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of no-op jobs ({@code sleep} of 0 s in one step): submitted over HTTP from 64
 * keep-alive connections, with the memory store and with the durable SQLite store; then the
 * same through the Java API in a JVM of its own ({@link InProcess}), with submit-to-start.
 */
final class ThroughputScenario extends Scenario {
    ThroughputScenario(Bench bench) {
        super(bench, "5. throughput");
    }

    @Override
    void run() throws Exception {
        int jobs = bench.quick ? 1_000 : 30_000;
        for (String store : List.of("memory", "sqlite")) http(store, jobs);
        for (String store : List.of("memory", "sqlite")) submitOnly(store, jobs);
        for (String store : bench.quick ? List.of("memory") : List.of("memory", "sqlite")) inProcess(store, jobs);
    }

    private void http(String store, int jobs) throws Exception {
        try (Server server = bench.server(store); Loop loop = new Loop(server.port)) {
            List<Loop.Conn> conns = Bench.open(loop, 64);
            Loop.Conn control = Bench.open(loop, 1).get(0);
            byte[] submit = loop.post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":0,\"steps\":1}}");
            byte[] unfinished = loop.get("/api/jobs?state=queued,running&limit=1");
            for (int round = bench.quick ? 0 : -2; round < bench.rounds(); round++) { // why: two rounds warm the JIT up and are not counted
                int n = jobs;
                long serverCpu = server.cpuNanos();
                long clientCpu = Bench.clientCpuNanos();
                ClosedLoop r = ClosedLoop.run(loop, conns, n, TimeUnit.SECONDS.toNanos(30), i -> submit, 202);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!loop.call(control, unfinished).text().contains("\"jobs\":[]") && System.nanoTime() < deadline) Thread.sleep(2);
                long finished = System.nanoTime();
                if (round < 0) continue;
                String name = "HTTP, " + store + " store";
                add(name + ", submits answered 202 while they run", "jobs/s", Target.none(), r.perSecond());
                add(name + ", submit p50", "ms", Target.none(), r.micros(50) / 1000);
                add(name + ", submit p99", "ms", Target.none(), r.micros(99) / 1000);
                Target aim = store.equals("sqlite") ? Target.atLeast(12_000, ">= 12,000 (aim; 8,400 before)") : Target.none();
                add(name + ", submitted to all finished", "jobs/s", aim, r.completed / ((finished - r.firstSend) / 1e9));
                double secs = (finished - r.firstSend) / 1e9;
                add(name + ", server CPU", "cores", Target.none(), (server.cpuNanos() - serverCpu) / 1e9 / secs);
                add(name + ", client CPU", "cores", Target.none(), (Bench.clientCpuNanos() - clientCpu) / 1e9 / secs);
                if (r.failed > 0) bench.notes.add("throughput " + name + ": " + r.failed + " submits failed");
            }
        }
    }

    /**
     * Submits alone: one job runs for the whole test and holds the only running slot, so every job
     * submitted stays queued and the store writes nothing but the submits.
     */
    private void submitOnly(String store, int jobs) throws Exception {
        try (Server server = bench.server(store, "--max-running", "1"); Loop loop = new Loop(server.port)) {
            List<Loop.Conn> conns = Bench.open(loop, 64);
            byte[] submit = loop.post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":3600,\"steps\":1}}");
            for (int round = bench.quick ? 0 : -2; round < bench.rounds(); round++) { // why: two rounds warm the JIT up and are not counted
                long serverCpu = server.cpuNanos();
                long clientCpu = Bench.clientCpuNanos();
                ClosedLoop r = ClosedLoop.run(loop, conns, jobs, TimeUnit.SECONDS.toNanos(30), i -> submit, 202);
                if (round < 0) continue;
                String name = "HTTP, " + store + " store, submits alone (jobs stay queued)";
                Target durable = store.equals("sqlite") ? Target.atLeast(15_000, ">= 15,000 (SQLite, FULL sync)") : Target.none();
                add(name, "jobs/s", durable, r.perSecond());
                add(name + ", submit p99", "ms", Target.none(), r.micros(99) / 1000);
                add(name + ", server CPU", "cores", Target.none(), (server.cpuNanos() - serverCpu) / 1e9 / r.seconds());
                add(name + ", client CPU", "cores", Target.none(), (Bench.clientCpuNanos() - clientCpu) / 1e9 / r.seconds());
                if (r.failed > 0) bench.notes.add("throughput " + name + ": " + r.failed + " submits failed");
            }
        }
    }

    private void inProcess(String store, int jobs) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String cp = bench.jar + File.pathSeparator + bench.classes;
        List<String> cmd = List.of(java.toString(), "-XX:+UseG1GC", "-cp", cp, InProcess.class.getName(), store,
                Integer.toString(jobs), Integer.toString(bench.rounds()), Integer.toString(bench.quick ? 200 : 2_000));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> other = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.startsWith("RESULT ")) {
                    if (!line.contains("Unsafe") && !line.isBlank()) other.add(line);
                    continue;
                }
                String[] f = line.split(" ");
                double v = Double.parseDouble(f[2]);
                String name = "Java API, " + store + " store";
                switch (f[1]) {
                    case "submitted_per_s" -> add(name + ", submit() returned", "jobs/s", Target.none(), v);
                    case "finished_per_s" -> add(name + ", submitted to all finished", "jobs/s", Target.none(), v);
                    case "start_p50_ms" -> add(name + ", submit-to-start p50 (idle engine)", "ms", Target.none(), v);
                    case "start_p99_ms" -> add(name + ", submit-to-start p99 (idle engine)", "ms",
                            store.equals("memory") ? Target.atMost(1, "p99 < 1 ms (memory)") : Target.none(), v);
                    default -> other.add(line);
                }
            }
        }
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("in-process run failed: " + String.join("\n", other));
        }
    }
}
