package dev.jobline.bench;

import dev.jobline.bench.Results.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Server-Sent Events beside the long-poll rows: the wake of 1 and of N job streams by one change
 * (a cancel, timed from its request's write to each stream's event, as in the wake scenario),
 * the heap each held stream costs, and N streams following N jobs that each change every 2 s
 * (staleness: the client's clock at the event minus the job's updatedAt, as in the steady scenario;
 * no request per change at all).
 */
final class StreamScenario extends Scenario {
    StreamScenario(Bench bench) {
        super(bench, "12. SSE streams");
    }

    @Override
    void run() throws Exception {
        int n = bench.quick ? 500 : 10_000;
        String label = String.format("%,d", n);
        try (Server server = bench.server("memory"); Loop loop = new Loop(server.port); SseLoop sse = new SseLoop(server.port)) {
            Loop.Conn control = Bench.open(loop, 1).get(0);
            for (int i = 0; i < 20; i++) wake(server, loop, control, sse, 1); // warm-up
            int wakes = bench.quick ? 20 : 200;
            for (int round = 0; round < bench.rounds(); round++) {
                long[] each = new long[wakes];
                for (int i = 0; i < wakes; i++) each[i] = wake(server, loop, control, sse, 1).nanos[0];
                add("1 stream, p50 of " + wakes + " wakes", "ms", Target.none(), Stats.percentile(each, wakes, 50) / 1e6);
                add("1 stream, p99 of " + wakes + " wakes", "ms", Target.atMost(1, "p99 <= 1 ms"), Stats.percentile(each, wakes, 99) / 1e6);
            }
            server.awaitQuiet(10, 10_000);
            long heapEmpty = server.heapAfterGcBytes();
            for (int round = 0; round < bench.rounds(); round++) {
                long[] heap = new long[1];
                Woken w = wakeAfter(server, loop, control, sse, n, () -> heap[0] = server.heapAfterGcBytes());
                add(label + " streams, p50", "ms", Target.none(), Stats.percentile(w.nanos, w.answered, 50) / 1e6);
                add(label + " streams, p99", "ms", Target.none(), Stats.percentile(w.nanos, w.answered, 99) / 1e6);
                add(label + " streams, last", "ms", n == 10_000 ? Target.atMost(150, "<= 150 ms") : Target.none(),
                        Stats.max(w.nanos, w.answered) / 1e6);
                add(label + " streams, server CPU per stream woken", "us", Target.none(), w.serverCpuNanos / 1e3 / n);
                add("heap per held stream, connection included", "KB", Target.atMost(8, "<= 8 KB"), (heap[0] - heapEmpty) / 1024.0 / n);
                if (w.answered != n) bench.notes.add("SSE wake " + label + ": " + w.answered + " of " + n + " streams had their event");
            }
        }
        follow(n, label);
    }

    /** What one change did to the streams. */
    record Woken(long[] nanos, int answered, long serverCpuNanos) {}

    private static Woken wake(Server server, Loop loop, Loop.Conn control, SseLoop sse, int n) throws Exception {
        return wakeAfter(server, loop, control, sse, n, () -> { });
    }

    /** Starts a job, opens {@code n} streams on it after its version, runs {@code meanwhile} once they are held, cancels it, times each event. */
    private static Woken wakeAfter(Server server, Loop loop, Loop.Conn control, SseLoop sse, int n, WakeScenario.WhileWaiting meanwhile)
            throws Exception {
        Loop.Response created = loop.call(control, loop.post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":3600,\"steps\":1}}"));
        String id = JsonScan.string(created.body(), "id");
        Loop.Response running = loop.call(control, loop.get("/api/jobs/" + id + "?after=1&wait=10s"));
        long version = JsonScan.number(running.body(), "version");
        long[] nanos = new long[n];
        int[] answered = {0};
        long[] changeAt = {0};
        CountDownLatch open = new CountDownLatch(n);
        CompletableFuture<Void> all = new CompletableFuture<>();
        List<SseLoop.Stream> streams = new ArrayList<>(n);
        SseLoop.Listener listener = (s, name, eid, data, at) -> {
            if (name.equals("open")) {
                open.countDown();
            } else if (name.equals("job") && s.attachment == null) {
                s.attachment = Boolean.TRUE;
                nanos[answered[0]++] = at - changeAt[0];
                if (answered[0] == n) all.complete(null);
            }
        };
        for (int i = 0; i < n; i++) {
            streams.add(sse.open("/api/jobs/" + id, Long.toString(version), listener));
            if (i % 1000 == 999) Thread.sleep(20); // why: the accept backlog takes bursts, not ten thousand at once
        }
        if (!open.await(60, TimeUnit.SECONDS)) throw new IllegalStateException(open.getCount() + " streams did not open");
        Thread.sleep(Math.max(5, n / 50)); // why: each stream registers its waiter just after its first bytes
        if (n > 10) server.awaitQuiet(10, 10_000);
        meanwhile.run();
        long serverCpu = server.cpuNanos();
        byte[] cancel = loop.post("/api/jobs/" + id + "/cancel", "");
        CompletableFuture<Integer> cancelled = new CompletableFuture<>();
        CompletableFuture<Void> stamped = new CompletableFuture<>();
        sse.execute(() -> stamped.complete(null));
        stamped.join();
        loop.execute(() -> {
            changeAt[0] = System.nanoTime();
            control.send(cancel, (c, status, body, at) -> cancelled.complete(status));
        });
        all.get(60, TimeUnit.SECONDS);
        long used = server.cpuNanos() - serverCpu;
        if (cancelled.get(10, TimeUnit.SECONDS) != 202) throw new IllegalStateException("cancel failed");
        sse.closeAll(streams);
        Thread.sleep(Math.max(5, n / 20)); // why: the server closes its side too before the next round opens as many
        return new Woken(nanos, answered[0], used);
    }

    /** N jobs changing every 2 s, one stream on each, for a window: staleness, server CPU, and requests sent (none). */
    private void follow(int n, String label) throws Exception {
        long periodMillis = bench.quick ? 500 : 2_000;
        long windowMillis = bench.quick ? 1_500 : 8_000;
        try (Server server = bench.server("memory"); Loop loop = new Loop(server.port); SseLoop sse = new SseLoop(server.port)) {
            List<Loop.Conn> submitters = Bench.open(loop, 16);
            String[] ids = new String[n];
            byte[] submit = loop.post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":" + periodMillis * 3600 / 1000 + ",\"steps\":3600}}");
            int[] k = {0};
            ClosedLoop made = ClosedLoop.run(loop, submitters, n, 60_000_000_000L, i -> submit, 202,
                    body -> ids[k[0]++] = JsonScan.string(body, "id"));
            if (made.completed != n) throw new IllegalStateException("submitted " + made.completed + " of " + n + " jobs");
            long[] staleness = new long[2_000_000];
            int[] changes = {0};
            boolean[] counting = {false};
            int[] ended = {0};
            CountDownLatch open = new CountDownLatch(n);
            SseLoop.Listener listener = (s, name, eid, data, at) -> {
                if (name.equals("open")) open.countDown();
                else if (name.equals("end")) ended[0]++;
                else if (name.equals("job") && counting[0]) {
                    long stale = System.currentTimeMillis() - JsonScan.millis(data, "updatedAt");
                    if (changes[0] < staleness.length) staleness[changes[0]] = stale;
                    changes[0]++;
                }
            };
            List<SseLoop.Stream> streams = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                streams.add(sse.open("/api/jobs/" + ids[i], null, listener));
                if (i % 1000 == 999) Thread.sleep(20);
            }
            if (!open.await(60, TimeUnit.SECONDS)) throw new IllegalStateException(open.getCount() + " streams did not open");
            Thread.sleep(periodMillis + 500); // why: every stream has had an event before counting starts
            for (int round = 0; round < bench.rounds(); round++) {
                CompletableFuture<Void> go = new CompletableFuture<>();
                sse.execute(() -> {
                    changes[0] = 0;
                    counting[0] = true;
                    go.complete(null);
                });
                go.join();
                long cpu = server.cpuNanos();
                long client = Bench.clientCpuNanos();
                long t0 = System.nanoTime();
                Thread.sleep(windowMillis);
                CompletableFuture<Integer> stop = new CompletableFuture<>();
                sse.execute(() -> {
                    counting[0] = false;
                    stop.complete(changes[0]);
                });
                int seen = stop.join();
                double secs = (System.nanoTime() - t0) / 1e9;
                String base = label + " followers (SSE)";
                add(base + ", events per change", "", Target.none(), seen / Math.max(1.0, n * (windowMillis / (double) periodMillis)));
                add(base + ", staleness p50", "ms", Target.none(), Stats.percentile(staleness, Math.min(seen, staleness.length), 50));
                add(base + ", staleness p99", "ms", n == 10_000 ? Target.atMost(500, "p99 <= 500 ms") : Target.none(),
                        Stats.percentile(staleness, Math.min(seen, staleness.length), 99));
                add(base + ", server CPU", "cores", Target.none(), (server.cpuNanos() - cpu) / 1e9 / secs);
                add(base + ", client CPU", "cores", Target.none(), (Bench.clientCpuNanos() - client) / 1e9 / secs);
            }
            if (ended[0] > 0) bench.notes.add("SSE follow: " + ended[0] + " streams ended early");
            sse.closeAll(streams);
        }
    }
}
