package dev.jobline.bench;

import dev.jobline.bench.Results.Target;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Wake latency: N clients long-poll one running job; one change (a cancel, sent by this client)
 * answers them all. Each client's time is from the moment the cancel request is written to the
 * moment its own answer is read, so it includes the cancel's trip to the server: an upper bound
 * of the wake itself.
 */
final class WakeScenario extends Scenario {
    WakeScenario(Bench bench) {
        super(bench, "2. wake");
    }

    /** What one change did to N waiters. */
    record Wake(long[] nanos, int answered, int wrong, long serverCpuNanos, long clientCpuNanos) {}

    @Override
    void run() throws Exception {
        int[] sizes = bench.quick ? new int[] {1, 100} : new int[] {1, 1_000, 10_000};
        int max = sizes[sizes.length - 1];
        try (Server server = bench.server("memory"); Loop loop = new Loop(server.port)) {
            Loop.Conn control = Bench.open(loop, 1).get(0);
            List<Loop.Conn> warm = Bench.open(loop, Math.min(max, 1000));
            for (int i = 0; i < (bench.quick ? 2 : 20); i++) wake(server, loop, control, warm);
            loop.closeAll(warm);
            for (int n : sizes) {
                // why: fresh connections for each size; idle ones would meet the server's idle timeout during long runs
                List<Loop.Conn> some = Bench.open(loop, n);
                String name = n == 1 ? "1 waiter" : String.format("%,d waiters", n);
                if (n == 1) {
                    int wakes = bench.quick ? 20 : 200;
                    for (int round = 0; round < bench.rounds(); round++) {
                        long[] each = new long[wakes];
                        for (int i = 0; i < wakes; i++) each[i] = wake(server, loop, control, some).nanos[0];
                        add(name + ", p50 of " + wakes + " wakes", "ms", Target.none(), Stats.percentile(each, wakes, 50) / 1e6);
                        add(name + ", p99 of " + wakes + " wakes", "ms", Target.atMost(1, "p99 <= 1 ms"), Stats.percentile(each, wakes, 99) / 1e6);
                    }
                    loop.closeAll(some);
                    continue;
                }
                wake(server, loop, control, some); // why: warms the paths at this size before it counts
                for (int round = 0; round < bench.rounds(); round++) {
                    Wake w = wake(server, loop, control, some);
                    add(name + ", p50", "ms", Target.none(), Stats.percentile(w.nanos, w.answered, 50) / 1e6);
                    add(name + ", p99", "ms", Target.none(), Stats.percentile(w.nanos, w.answered, 99) / 1e6);
                    Target last = n == 1_000 ? Target.atMost(15, "<= 15 ms") : n == 10_000 ? Target.atMost(150, "<= 150 ms") : Target.none();
                    add(name + ", last", "ms", last, Stats.max(w.nanos, w.answered) / 1e6);
                    add(name + ", server CPU per waiter woken", "us", Target.none(), w.serverCpuNanos / 1e3 / n);
                    add(name + ", client CPU per waiter woken", "us", Target.none(), w.clientCpuNanos / 1e3 / n);
                    if (w.answered != n || w.wrong > 0) {
                        bench.notes.add("wake " + name + ": " + w.answered + " answered, " + w.wrong + " not with the cancelled job");
                    }
                }
                loop.closeAll(some);
            }
        }
    }

    /** Starts a job, parks {@code waiters} on it, waits until the server is idle, then cancels it and times every answer. */
    static Wake wake(Server server, Loop loop, Loop.Conn control, List<Loop.Conn> waiters) throws Exception {
        return wakeAfter(server, loop, control, waiters, () -> { });
    }

    /** Something to do while the waiters are parked and the server is idle. */
    interface WhileWaiting {
        void run() throws Exception;
    }

    /** As {@link #wake}, running {@code meanwhile} once every waiter is parked, before the change. */
    static Wake wakeAfter(Server server, Loop loop, Loop.Conn control, List<Loop.Conn> waiters, WhileWaiting meanwhile)
            throws Exception {
        Loop.Response created = loop.call(control, loop.post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":3600,\"steps\":1}}"));
        if (created.status() != 202) throw new IllegalStateException("submit failed: " + created.status() + " " + created.text());
        String id = JsonScan.string(created.body(), "id");
        Loop.Response running = loop.call(control, loop.get("/api/jobs/" + id + "?after=1&wait=10s"));
        long version = JsonScan.number(running.body(), "version");
        if (!"running".equals(JsonScan.string(running.body(), "state"))) throw new IllegalStateException("job did not start: " + running.text());
        int n = waiters.size();
        long[] nanos = new long[n];
        int[] answered = {0};
        int[] wrong = {0};
        long[] changeAt = {0};
        String[] early = {null};
        CompletableFuture<Void> all = new CompletableFuture<>();
        CompletableFuture<Void> sent = new CompletableFuture<>();
        byte[] poll = loop.get("/api/jobs/" + id + "?after=" + version + "&wait=110s");
        loop.execute(() -> {
            for (Loop.Conn c : waiters) {
                c.send(poll, (conn, status, body, at) -> {
                    if (changeAt[0] == 0 && early[0] == null) early[0] = status + " " + new String(body, java.nio.charset.StandardCharsets.UTF_8);
                    if (status != 200 || body.length < 20 || JsonScan.number(body, "version") <= version) wrong[0]++;
                    nanos[answered[0]++] = at - changeAt[0];
                    if (answered[0] == n) all.complete(null);
                });
            }
            sent.complete(null);
        });
        sent.join();
        Thread.sleep(Math.max(20, n / 20)); // why: let every request reach the server before checking it is idle
        if (n > 10) server.awaitQuiet(10, 10_000);
        if (answered[0] > 0) throw new IllegalStateException(answered[0] + " waiters were answered before the change, the first with " + early[0]);
        meanwhile.run();
        if (answered[0] > 0) throw new IllegalStateException(answered[0] + " waiters were answered before the change, the first with " + early[0]);
        long serverCpu = server.cpuNanos();
        long clientCpu = Bench.clientCpuNanos();
        byte[] cancel = loop.post("/api/jobs/" + id + "/cancel", "");
        CompletableFuture<Integer> cancelled = new CompletableFuture<>();
        loop.execute(() -> {
            changeAt[0] = System.nanoTime();
            control.send(cancel, (c, status, body, at) -> cancelled.complete(status));
        });
        all.get(60, TimeUnit.SECONDS);
        long serverUsed = server.cpuNanos() - serverCpu;
        long clientUsed = Bench.clientCpuNanos() - clientCpu;
        if (cancelled.get(10, TimeUnit.SECONDS) != 202) throw new IllegalStateException("cancel failed");
        return new Wake(nanos, answered[0], wrong[0], serverUsed, clientUsed);
    }
}
