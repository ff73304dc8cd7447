package dev.jobline.bench;

import dev.jobline.bench.Results.Target;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Latency across two nodes on one throwaway PostgreSQL, one sample at a time on idle nodes.
 * Node A runs with one running slot, held for the whole scenario by a long job, so it claims
 * nothing: every job submitted to A can only start on node B.
 * <ul>
 *   <li>Submit on A to start on B: from the client's clock when it writes the submit to A, to
 *   the job's {@code startedAt} as node B stamped it (same machine, same clock; {@code startedAt}
 *   is truncated to the millisecond, so 1 ms is added to make the figure an upper bound). Also,
 *   from the same moment until a long-poll sent to B after the 202 reads the started job: what a
 *   client sees, an upper bound that adds the 202's trip and a request to B.</li>
 *   <li>Change on A to a waiter on B: a job runs on B, a long-poll on it is parked on B, and the
 *   client cancels it through A; from writing the cancel to A until the waiter's answer is read
 *   (the cancel's commit, {@code NOTIFY}, B's wake and the write back).</li>
 * </ul>
 */
final class ClusterScenario extends Scenario {
    private static final String NOOP = "{\"type\":\"sleep\",\"params\":{\"seconds\":0,\"steps\":1}}";
    private static final String LONG = "{\"type\":\"sleep\",\"params\":{\"seconds\":3600,\"steps\":1}}";

    ClusterScenario(Bench bench) {
        super(bench, "8. cluster");
    }

    /** An answer with the moment its request was written, by the monotonic clock and by the wall clock (microseconds). */
    private record Timed(Loop.Response response, long sentNanos, long sentMicros) {}

    @Override
    void run() throws Exception {
        try (ThrowawayPostgres pg = ThrowawayPostgres.start()) {
            measure(pg);
        } catch (ThrowawayPostgres.Missing e) {
            bench.notes.add("cluster: skipped, PostgreSQL is not installed here (" + e.getMessage() + ")");
        } catch (IllegalStateException e) {
            if (bench.quick) throw e;
            bench.notes.add("cluster: stopped early, " + e.getMessage()); // why: keep the rest of the full run's table
        }
    }

    private void measure(ThrowawayPostgres pg) throws Exception {
        int samples = bench.quick ? 20 : 200;
        try (Server a = PostgresScenario.nodes(bench, pg, 1, "--max-running", "1").get(0); Loop la = new Loop(a.port)) {
            Loop.Conn ca = Bench.open(la, 1).get(0);
            String blocker = id(la.call(ca, la.post("/api/jobs", LONG)));
            Loop.Response held = la.call(ca, la.get("/api/jobs/" + blocker + "?after=1&wait=10s"));
            if (!"running".equals(JsonScan.string(held.body(), "state"))) throw new IllegalStateException("A's own job did not start: " + held.text());
            try (Server b = startB(pg); Loop lb = new Loop(b.port)) {
                List<Loop.Conn> cb = Bench.open(lb, 2);
                for (int i = 0; i < (bench.quick ? 5 : 30); i++) { // why: warms both nodes' paths up before anything counts
                    start(la, ca, lb, cb.get(0));
                    change(la, ca, lb, cb.get(0), cb.get(1));
                }
                for (int round = 0; round < bench.rounds(); round++) {
                    long[] started = new long[samples];
                    long[] seen = new long[samples];
                    long[] woken = new long[samples];
                    for (int i = 0; i < samples; i++) {
                        long[] s = start(la, ca, lb, cb.get(0));
                        started[i] = s[0];
                        seen[i] = s[1];
                        Thread.sleep(5); // why: each sample meets idle nodes, as a lone submit would
                    }
                    for (int i = 0; i < samples; i++) woken[i] = change(la, ca, lb, cb.get(0), cb.get(1));
                    String n = " (" + samples + " samples)";
                    add("submit on A to startedAt on B, p50" + n, "ms", Target.none(), Stats.percentile(started, samples, 50) / 1e3);
                    add("submit on A to startedAt on B, p99" + n, "ms", Target.atMost(10, "p99 < 10 ms"), Stats.percentile(started, samples, 99) / 1e3);
                    add("submit on A to a long-poll on B reading it started, p50", "ms", Target.none(), Stats.percentile(seen, samples, 50) / 1e6);
                    add("submit on A to a long-poll on B reading it started, p99", "ms", Target.none(), Stats.percentile(seen, samples, 99) / 1e6);
                    add("cancel on A to the waiter on B answered, p50" + n, "ms", Target.none(), Stats.percentile(woken, samples, 50) / 1e6);
                    add("cancel on A to the waiter on B answered, p99" + n, "ms", Target.atMost(20, "p99 < 20 ms"), Stats.percentile(woken, samples, 99) / 1e6);
                }
            }
        }
    }

    private Server startB(ThrowawayPostgres pg) throws Exception {
        List<String> options = List.of("--db-url", pg.url, "--node-id", "bench-1");
        return bench.server("postgres", options.toArray(String[]::new));
    }

    /**
     * Submits a no-op job to A and long-polls it on B; returns the microseconds from writing the
     * submit to B's {@code startedAt} (plus 1 ms), and the nanoseconds until B's answer was read.
     */
    private long[] start(Loop la, Loop.Conn ca, Loop lb, Loop.Conn cb) {
        Timed submitted = send(la, ca, la.post("/api/jobs", NOOP));
        String id = id(submitted.response());
        Loop.Response job = lb.call(cb, lb.get("/api/jobs/" + id + "?after=1&wait=10s"));
        long startedAt = JsonScan.millis(job.body(), "startedAt");
        if (startedAt < 0) throw new IllegalStateException("the job did not start within 10 s: " + job.text());
        String node = JsonScan.string(job.body(), "node");
        if (node != null && !node.equals("bench-1")) throw new IllegalStateException("the job started on " + node + ", not on B");
        return new long[] {(startedAt + 1) * 1000 - submitted.sentMicros(), job.nanos() - submitted.sentNanos()};
    }

    /** Parks a long-poll on B on a job running on B, cancels it through A; returns the nanoseconds to the waiter's answer. */
    private long change(Loop la, Loop.Conn ca, Loop lb, Loop.Conn control, Loop.Conn waiter) throws Exception {
        String id = id(la.call(ca, la.post("/api/jobs", LONG)));
        Loop.Response running = lb.call(control, lb.get("/api/jobs/" + id + "?after=1&wait=10s"));
        if (!"running".equals(JsonScan.string(running.body(), "state"))) throw new IllegalStateException("the job did not start: " + running.text());
        long version = JsonScan.number(running.body(), "version");
        CompletableFuture<Loop.Response> answer = new CompletableFuture<>();
        byte[] poll = lb.get("/api/jobs/" + id + "?after=" + version + "&wait=30s");
        lb.execute(() -> waiter.send(poll, (c, status, body, at) -> answer.complete(new Loop.Response(status, body, at))));
        Thread.sleep(20); // why: lets the long-poll reach B and park before the change
        if (answer.isDone()) throw new IllegalStateException("the waiter was answered before the change: " + answer.get().text());
        Timed cancel = send(la, ca, la.post("/api/jobs/" + id + "/cancel", ""));
        if (cancel.response().status() != 202) throw new IllegalStateException("cancel failed: " + cancel.response().text());
        Loop.Response woken = answer.get(30, TimeUnit.SECONDS);
        if (woken.status() != 200 || JsonScan.number(woken.body(), "version") <= version) {
            throw new IllegalStateException("the waiter got no change: " + woken.status() + " " + woken.text());
        }
        awaitEnd(lb, control, id, JsonScan.number(woken.body(), "version"), woken);
        return woken.nanos() - cancel.sentNanos();
    }

    /** Follows the cancelled job on B until it has ended, so the next sample meets an idle node. */
    private static void awaitEnd(Loop lb, Loop.Conn control, String id, long version, Loop.Response last) {
        for (int i = 0; i < 10 && !ended(last); i++) {
            last = lb.call(control, lb.get("/api/jobs/" + id + "?after=" + version + "&wait=10s"));
            version = JsonScan.number(last.body(), "version");
        }
        if (!ended(last)) throw new IllegalStateException("the cancelled job did not end: " + last.text());
    }

    private static boolean ended(Loop.Response job) {
        String state = JsonScan.string(job.body(), "state");
        return "cancelled".equals(state) || "succeeded".equals(state) || "failed".equals(state);
    }

    /** Sends one request, noting when it was written; waits for the answer. */
    private static Timed send(Loop loop, Loop.Conn c, byte[] request) {
        CompletableFuture<Timed> f = new CompletableFuture<>();
        loop.execute(() -> {
            Instant wall = Instant.now();
            long mono = System.nanoTime();
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, wall);
            c.send(request, (conn, status, body, at) -> f.complete(new Timed(new Loop.Response(status, body, at), mono, micros)));
        });
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("request failed: " + new String(request).lines().findFirst().orElse(""), e);
        }
    }

    private static String id(Loop.Response created) {
        if (created.status() != 202) throw new IllegalStateException("submit failed: " + created.status() + " " + created.text());
        return JsonScan.string(created.body(), "id");
    }
}
