package dev.jobline.bench;

import dev.jobline.bench.Results.Target;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Start-up: from starting {@code java -jar jobline.jar} to the first answered {@code GET /health}. */
final class StartupScenario extends Scenario {
    StartupScenario(Bench bench) {
        super(bench, "6. start-up");
    }

    @Override
    void run() throws Exception {
        int runs = bench.quick ? 1 : 5;
        for (String store : bench.quick ? List.of("memory") : List.of("memory", "sqlite")) {
            if (!bench.quick) {
                try (Server warm = bench.server(store)) {
                    // why: the first start also warms the OS page cache with the jar; that one is not counted
                }
            }
            for (int i = 0; i < runs; i++) {
                try (Server server = bench.server(store)) {
                    long answered = firstAnswer(server.port);
                    add("java -jar to the listening line, " + store + " store", "ms", Target.none(),
                            (server.listeningNanos - server.startNanos) / 1e6);
                    add("java -jar to the first answer, " + store + " store", "ms",
                            Target.atMost(1000, "< 1 s"), (answered - server.startNanos) / 1e6);
                }
            }
        }
    }

    /** Sends GET /health until one is answered with 200; returns when, in nanoTime. */
    private static long firstAnswer(int port) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                OutputStream out = s.getOutputStream();
                out.write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] head = in.readNBytes(12);
                if (new String(head, StandardCharsets.US_ASCII).endsWith("200")) return System.nanoTime();
            } catch (IOException e) {
                Thread.sleep(1);
            }
        }
        throw new IllegalStateException("no answer from the server");
    }
}
