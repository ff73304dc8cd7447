package dev.jobline.bench;

import dev.jobline.bench.Results.Target;
import java.util.List;

/**
 * Capacity and memory: as many long-polls as the open-file limit allows, held on one job. Heap
 * (after a full GC) and RSS are read with the connections open but idle, then with a long-poll
 * waiting on each; the server's CPU is read over an idle stretch while they wait; then one
 * change answers them all.
 */
final class CapacityScenario extends Scenario {
    CapacityScenario(Bench bench) {
        super(bench, "4. capacity");
    }

    @Override
    void run() throws Exception {
        int n = bench.quick ? 1_000 : Integer.getInteger("bench.waiters", 19_500);
        long idleMillis = bench.quick ? 2_000 : 10_000;
        try (Server server = bench.server("memory"); Loop loop = new Loop(server.port)) {
            Loop.Conn control = Bench.open(loop, 1).get(0);
            WakeScenario.wake(server, loop, control, Bench.open(loop, 100)); // warm-up of the paths used below
            server.awaitQuiet(10, 10_000);
            long heapEmpty = server.heapAfterGcBytes();
            long rssEmpty = server.rssBytes();
            List<Loop.Conn> conns = Bench.open(loop, n);
            String held = String.format("%,d", n);
            for (int round = 0; round < bench.rounds(); round++) {
                server.awaitQuiet(10, 10_000);
                long heapConnected = server.heapAfterGcBytes(); // why: each round against its own idle connections
                long rssConnected = server.rssBytes();
                long[] measured = new long[4];
                // why: a fresh control connection; the old one may have met the server's 30 s idle timeout while the heap was read
                Loop.Conn fresh = Bench.open(loop, 1).get(0);
                WakeScenario.Wake w = WakeScenario.wakeAfter(server, loop, fresh, conns, () -> {
                    long cpu = server.cpuNanos();
                    long client = Bench.clientCpuNanos();
                    Thread.sleep(idleMillis);
                    measured[0] = server.cpuNanos() - cpu;
                    measured[1] = Bench.clientCpuNanos() - client;
                    measured[2] = server.heapAfterGcBytes();
                    measured[3] = server.rssBytes();
                });
                add("long-polls held at once, then all answered by one change", "", Target.atLeast(19_500, ">= 19,500"),
                        w.wrong() == 0 ? w.answered() : 0);
                add("server CPU while " + held + " wait idle, " + idleMillis / 1000 + " s", "ms of CPU per s",
                        Target.none(), measured[0] / 1e6 / (idleMillis / 1000.0));
                add("client CPU over the same stretch", "ms of CPU per s", Target.none(),
                        measured[1] / 1e6 / (idleMillis / 1000.0));
                add("heap per waiting long-poll, connection included", "KB", Target.atMost(8, "<= 8 KB"),
                        (measured[2] - heapEmpty) / 1024.0 / n);
                add("  of which the long-poll beyond its idle connection, heap", "KB", Target.none(),
                        (measured[2] - heapConnected) / 1024.0 / n);
                add("RSS per waiting long-poll, connection included", "KB", Target.none(),
                        (measured[3] - rssEmpty) / 1024.0 / n);
                add("  of which the long-poll beyond its idle connection, RSS", "KB", Target.none(),
                        (measured[3] - rssConnected) / 1024.0 / n);
                add("last of " + held + " answered after the change", "ms", Target.none(), Stats.max(w.nanos(), w.answered()) / 1e6);
            }
        }
    }
}
