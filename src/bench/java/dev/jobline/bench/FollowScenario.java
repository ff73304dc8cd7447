package dev.jobline.bench;

import dev.jobline.bench.Results.Target;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Steady following: N running jobs that each change every 2 s, one client per job. The same
 * clients first follow with long-polls ({@code ?after=v&wait=30s}), then poll every 100 ms (the
 * classic pattern), each for the same window on the same server. Staleness is the client's clock
 * at the answer minus the job's {@code updatedAt} (same machine, same clock; 1 ms resolution).
 */
final class FollowScenario extends Scenario {
    /** How often each job changes: every 2 s, as in the issue; faster in quick mode, to finish sooner. */
    private final long periodMillis;

    FollowScenario(Bench bench) {
        super(bench, "3. steady");
        this.periodMillis = bench.quick ? 500 : 2_000;
    }

    /** What one window of following or polling cost and gave. */
    private static final class Window {
        final long[] staleness = new long[2_000_000];
        int changes;
        long requests;
        double serverCores;
        double clientCores;
        boolean counting;
        int errors;
    }

    @Override
    void run() throws Exception {
        int[] sizes = bench.quick ? new int[] {100} : new int[] {1_000, 10_000};
        long windowMillis = bench.quick ? 1_500 : 8_000;
        for (int n : sizes) {
            try (Server server = bench.server("memory"); Loop loop = new Loop(server.port)) {
                List<Loop.Conn> submitters = Bench.open(loop, 16);
                String[] ids = new String[n];
                long[] versions = new long[n];
                // why: 3600 steps, one per period, so every job keeps changing for as long as the run lasts
                byte[] submit = loop.post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":" + periodMillis * 3600 / 1000
                        + ",\"steps\":3600}}");
                int[] k = {0};
                ClosedLoop made = ClosedLoop.run(loop, submitters, n, 60_000_000_000L, i -> submit, 202,
                        body -> ids[k[0]++] = JsonScan.string(body, "id"));
                if (made.completed != n) throw new IllegalStateException("submitted " + made.completed + " of " + n + " jobs");
                List<Loop.Conn> clients = Bench.open(loop, n);
                String label = String.format("%,d", n);
                for (int round = 0; round < bench.rounds(); round++) {
                    jobsAlone = jobsAlone(server, windowMillis);
                    add(label + " jobs running, no client", "server cores", Target.none(), jobsAlone);
                    Window follow = window(server, loop, clients, ids, versions, true, windowMillis);
                    Window poll = window(server, loop, clients, ids, versions, false, windowMillis);
                    report(label, "followers (long-poll)", follow, n);
                    report(label, "pollers (every 100 ms)", poll, n);
                }
            }
        }
    }

    private double followServerCores;
    /** Server CPU of the running jobs themselves, with no client asking: the same in both modes. */
    private double jobsAlone;

    private static double jobsAlone(Server server, long windowMillis) throws InterruptedException {
        long cpu = server.cpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(windowMillis);
        return (server.cpuNanos() - cpu) / 1e9 / ((System.nanoTime() - t0) / 1e9);
    }

    private void report(String n, String who, Window w, int clients) {
        boolean follow = who.startsWith("followers");
        String base = n + " " + who;
        add(base + ", requests per change", "", follow ? Target.atMost(1.05, "1.0 (+1 per timeout)") : Target.none(),
                (double) w.requests / Math.max(1, w.changes));
        Target stale = n.equals("10,000") && follow ? Target.atMost(500, "p99 <= 500 ms") : Target.none();
        add(base + ", staleness p50", "ms", Target.none(), Stats.percentile(w.staleness, Math.min(w.changes, w.staleness.length), 50));
        add(base + ", staleness p99", "ms", stale, Stats.percentile(w.staleness, Math.min(w.changes, w.staleness.length), 99));
        add(base + ", server CPU", "cores", Target.none(), w.serverCores);
        add(base + ", server CPU for the clients (above the jobs' own)", "cores", Target.none(),
                Math.max(0, w.serverCores - jobsAlone));
        add(base + ", client CPU", "cores", Target.none(), w.clientCores);
        if (follow) {
            followServerCores = w.serverCores;
        } else if (n.equals("1,000")) {
            add("1,000: server CPU of polling / of following, for the clients", "x", Target.atLeast(10, ">= 10x less"),
                    Math.max(0, w.serverCores - jobsAlone) / Math.max(followServerCores - jobsAlone, 1e-3));
            add("1,000: server CPU of polling / of following, jobs included", "x", Target.none(),
                    w.serverCores / Math.max(followServerCores, 1e-3));
        }
        if (w.errors > 0) bench.notes.add("steady " + base + ": " + w.errors + " requests failed");
    }

    private Window window(Server server, Loop loop, List<Loop.Conn> clients, String[] ids, long[] versions, boolean follow,
                          long windowMillis) throws Exception {
        Window w = new Window();
        int n = clients.size();
        byte[][] plain = new byte[n][];
        for (int i = 0; i < n; i++) plain[i] = loop.get("/api/jobs/" + ids[i]);
        boolean[] stop = {false};
        Loop.Callback[] onAnswer = new Loop.Callback[1];
        onAnswer[0] = (c, status, body, at) -> {
            int i = (Integer) c.attachment;
            if (w.counting) w.requests++;
            if (status != 200) {
                w.errors++;
                return;
            }
            long v = JsonScan.number(body, "version");
            if (v > versions[i]) {
                if (versions[i] > 0 && w.counting) {
                    long stale = System.currentTimeMillis() - JsonScan.millis(body, "updatedAt");
                    if (w.changes < w.staleness.length) w.staleness[w.changes] = stale;
                    w.changes++;
                }
                versions[i] = v;
            }
            if (follow && !stop[0]) c.send(loop.get("/api/jobs/" + ids[i] + "?after=" + versions[i] + "&wait=30s"), onAnswer[0]);
        };
        awaitIdle(loop, clients, 2 * periodMillis + 5_000);
        CompletableFuture<Void> started = new CompletableFuture<>();
        loop.execute(() -> {
            for (int i = 0; i < n; i++) {
                Loop.Conn c = clients.get(i);
                c.attachment = i;
                if (follow) c.send(loop.get("/api/jobs/" + ids[i] + "?after=" + versions[i] + "&wait=30s"), onAnswer[0]);
            }
            started.complete(null);
        });
        started.join();
        Thread ticker = null;
        if (!follow) {
            // why: ten ticks per 100 ms, each polling a tenth of the clients, so the polls are spread out as real ones are
            ticker = Thread.ofPlatform().daemon().name("poll-ticker").start(() -> {
                long next = System.nanoTime();
                for (int tick = 0; !stop[0]; tick = (tick + 1) % 10) {
                    int t = tick;
                    loop.execute(() -> {
                        for (int i = t; i < n; i += 10) {
                            Loop.Conn c = clients.get(i);
                            if (!c.busy()) c.send(plain[i], onAnswer[0]);
                        }
                    });
                    next += 10_000_000;
                    long left = next - System.nanoTime();
                    if (left > 0) {
                        try {
                            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            });
        }
        Thread.sleep(periodMillis + 500); // why: every client has seen a change before counting starts
        CompletableFuture<Void> go = new CompletableFuture<>();
        loop.execute(() -> {
            w.counting = true;
            go.complete(null);
        });
        go.join();
        long serverCpu = server.cpuNanos();
        long clientCpu = Bench.clientCpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(windowMillis);
        CompletableFuture<Void> end = new CompletableFuture<>();
        loop.execute(() -> {
            w.counting = false;
            stop[0] = true;
            end.complete(null);
        });
        end.join();
        double secs = (System.nanoTime() - t0) / 1e9;
        w.serverCores = (server.cpuNanos() - serverCpu) / 1e9 / secs;
        w.clientCores = (Bench.clientCpuNanos() - clientCpu) / 1e9 / secs;
        if (ticker != null) ticker.join();
        return w;
    }

    /** Waits until no client has a request in flight (an open long-poll ends at its job's next change). */
    private static void awaitIdle(Loop loop, List<Loop.Conn> clients, long limitMillis) throws Exception {
        long deadline = System.nanoTime() + limitMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            CompletableFuture<Boolean> idle = new CompletableFuture<>();
            loop.execute(() -> idle.complete(clients.stream().noneMatch(Loop.Conn::busy)));
            if (idle.get(10, java.util.concurrent.TimeUnit.SECONDS)) return;
            Thread.sleep(50);
        }
        throw new IllegalStateException("clients still busy after " + limitMillis + " ms");
    }
}
