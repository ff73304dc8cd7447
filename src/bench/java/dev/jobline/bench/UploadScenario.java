package dev.jobline.bench;

import dev.jobline.bench.Results.Target;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/**
 * Uploads and the digest type: one file (1 GiB; 64 MiB in quick mode) uploaded over loopback,
 * then digested (SHA-256) by the built-in type, each in MB/s, next to {@code sha256sum} on the same
 * file on this machine; and the server's heap after a full GC in the middle of a digest.
 */
final class UploadScenario extends Scenario {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    UploadScenario(Bench bench) {
        super(bench, "7. uploads and digest");
    }

    @Override
    void run() throws Exception {
        long size = bench.quick ? 64L << 20 : 1L << 30;
        String label = bench.quick ? "64 MiB" : "1 GiB";
        Path dir = Files.createTempDirectory("jobline-bench-upload");
        Path file = dir.resolve("data.bin");
        try {
            write(file, size);
            try (Server server = bench.server("sqlite")) {
                String base = "http://127.0.0.1:" + server.port;
                for (int round = 0; round <= bench.rounds(); round++) { // why: round 0 warms up and is not counted
                    long t0 = System.nanoTime();
                    HttpResponse<byte[]> up = http.send(HttpRequest.newBuilder(URI.create(base + "/api/uploads?name=data.bin"))
                            .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofFile(file))
                            .timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
                    double upSeconds = (System.nanoTime() - t0) / 1e9;
                    if (up.statusCode() != 201) throw new IllegalStateException("upload answered " + up.statusCode());
                    String id = JsonScan.string(up.body(), "id");
                    byte[] job = digest(base, id, server, round > 0);
                    double digestSeconds = (JsonScan.millis(job, "finishedAt") - JsonScan.millis(job, "startedAt")) / 1e3;
                    double sumSeconds = sha256sum(file);
                    if (round == 0) continue;
                    add("upload of " + label + " over loopback (to disk, with SHA-256)", "MB/s", Target.none(), size / 1e6 / upSeconds);
                    add("digest job, SHA-256 of " + label, "MB/s", Target.none(), size / 1e6 / Math.max(digestSeconds, 1e-3));
                    add("sha256sum of the same file", "MB/s", Target.none(), size / 1e6 / sumSeconds);
                    http.send(HttpRequest.newBuilder(URI.create(base + "/api/uploads/" + id)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
                }
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /** Runs a digest job on the upload to its end, measuring the heap once it is under way; the finished job's JSON. */
    private byte[] digest(String base, String id, Server server, boolean measure) throws Exception {
        byte[] job = http.send(HttpRequest.newBuilder(URI.create(base + "/api/jobs")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"digest\",\"params\":{\"upload\":\"" + id + "\"}}")).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        String jobId = JsonScan.string(job, "id");
        boolean measured = !measure;
        for (int i = 0; i < 10_000; i++) {
            String state = JsonScan.string(job, "state");
            if (state.equals("succeeded")) return job;
            if (state.equals("failed") || state.equals("cancelled")) throw new IllegalStateException("digest " + state + ": " + new String(job));
            if (!measured && JsonScan.number(job, "done") > 0) {
                add("server heap after a full GC while digesting", "MiB", Target.none(), server.heapAfterGcBytes() / 1048576.0);
                measured = true;
            }
            long v = JsonScan.number(job, "version");
            job = http.send(HttpRequest.newBuilder(URI.create(base + "/api/jobs/" + jobId + "?after=" + v + "&wait=30s")).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
        }
        throw new IllegalStateException("the digest did not end");
    }

    private static double sha256sum(Path file) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("sha256sum", file.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) throw new IllegalStateException("sha256sum failed");
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Pseudo-random bytes, so nothing along the way can compress or skip them. */
    private static void write(Path file, long size) throws Exception {
        Random random = new Random(42);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }
}
