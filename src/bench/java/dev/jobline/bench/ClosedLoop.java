package dev.jobline.bench;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * A closed-loop load: every connection sends its next request as soon as the previous one is
 * answered, until {@code maxRequests} were sent or {@code maxNanos} passed. Records each
 * request's latency.
 */
final class ClosedLoop {
    final long[] latencies;
    int completed;
    int failed;
    int sent;
    long firstSend;
    long lastDone;

    private ClosedLoop(int maxRequests) {
        latencies = new long[maxRequests];
    }

    /**
     * Runs the load and returns when it is over. {@code request} gives the bytes of the i-th
     * request; {@code ok} says whether a status counts as success.
     */
    static ClosedLoop run(Loop loop, List<Loop.Conn> conns, int maxRequests, long maxNanos, IntFunction<byte[]> request,
                          int okStatus) throws InterruptedException {
        return run(loop, conns, maxRequests, maxNanos, request, okStatus, body -> { });
    }

    /** As above, handing the body of every successful answer to {@code onBody} (on the loop thread). */
    static ClosedLoop run(Loop loop, List<Loop.Conn> conns, int maxRequests, long maxNanos, IntFunction<byte[]> request,
                          int okStatus, Consumer<byte[]> onBody) throws InterruptedException {
        ClosedLoop r = new ClosedLoop(maxRequests);
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            r.firstSend = System.nanoTime();
            long deadline = r.firstSend + maxNanos;
            int[] active = {0};
            Loop.Callback[] next = new Loop.Callback[1];
            next[0] = (c, status, body, nanos) -> {
                long sentAt = (Long) c.attachment;
                if (status == okStatus) {
                    r.latencies[r.completed++] = nanos - sentAt;
                    onBody.accept(body);
                }
                else r.failed++;
                r.lastDone = nanos;
                if (r.sent < maxRequests && nanos < deadline && status >= 0) {
                    c.attachment = System.nanoTime();
                    c.send(request.apply(r.sent++), next[0]);
                } else if (--active[0] == 0) {
                    done.complete(null);
                }
            };
            for (Loop.Conn c : conns) {
                if (r.sent >= maxRequests) break;
                active[0]++;
                c.attachment = System.nanoTime();
                c.send(request.apply(r.sent++), next[0]);
            }
            if (active[0] == 0) done.complete(null);
        });
        try {
            done.get(maxNanos + 60_000_000_000L, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the load did not end in time: " + r.completed + " answered", e);
        }
        return r;
    }

    double seconds() {
        return (lastDone - firstSend) / 1e9;
    }

    double perSecond() {
        return completed / seconds();
    }

    /** The p-th percentile latency in microseconds. */
    double micros(double p) {
        return Stats.percentile(latencies, completed, p) / 1000.0;
    }
}
