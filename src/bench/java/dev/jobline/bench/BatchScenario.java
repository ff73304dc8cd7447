package dev.jobline.bench;

import dev.jobline.bench.Results.Target;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Batches on SQLite: one {@code POST /api/batches} of 10,000 no-op jobs (1,000 in quick mode), timed
 * from writing the request to reading its 202 (all of it stored in one transaction); then the batch
 * followed to its end by long-polls on its parent alone, timed from the 202 to the answer showing
 * it succeeded. Each round waits for the one before it to end.
 */
final class BatchScenario extends Scenario {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    BatchScenario(Bench bench) {
        super(bench, "10. batch");
    }

    @Override
    void run() throws Exception {
        int n = bench.quick ? 1_000 : 10_000;
        StringBuilder b = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append("{\"type\":\"sleep\",\"params\":{\"seconds\":0,\"steps\":1}}");
        byte[] body = b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        try (Server server = bench.server("sqlite", "--max-body", String.valueOf(4 << 20))) {
            String base = "http://127.0.0.1:" + server.port;
            for (int round = 0; round <= bench.rounds(); round++) { // why: round 0 warms up and is not counted
                long t0 = System.nanoTime();
                HttpResponse<byte[]> a = http.send(HttpRequest.newBuilder(URI.create(base + "/api/batches"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofByteArray());
                long t1 = System.nanoTime();
                if (a.statusCode() != 202) throw new IllegalStateException("POST /api/batches answered " + a.statusCode() + ": "
                        + new String(a.body(), StandardCharsets.UTF_8));
                String id = JsonScan.string(a.body(), "id");
                follow(base, id);
                long t2 = System.nanoTime();
                if (round == 0) continue;
                add("POST /api/batches of " + n + " jobs, request to 202", "ms", bench.quick ? Target.none() : Target.atMost(1000, "< 1 s"),
                        (t1 - t0) / 1e6);
                add("202 to the parent read succeeded (all " + n + " run), by long-polls on it", "ms", Target.none(), (t2 - t1) / 1e6);
            }
        }
    }

    private void follow(String base, String id) throws Exception {
        long v = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            byte[] job = http.send(HttpRequest.newBuilder(URI.create(base + "/api/jobs/" + id + "?after=" + v + "&wait=30s"))
                    .timeout(Duration.ofMinutes(1)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
            v = JsonScan.number(job, "version");
            String state = JsonScan.string(job, "state");
            if (state.equals("succeeded")) return;
            if (state.equals("failed") || state.equals("cancelled")) throw new IllegalStateException("the batch ended " + state);
        }
        throw new IllegalStateException("the batch did not end within 5 minutes");
    }
}
