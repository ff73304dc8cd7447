package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.TestHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB upload, made while it is sent (the test never holds it), stored with the right SHA-256
 * and digested by the built-in type, on the real jar with a 256 MiB heap; the GC log shows how
 * little of the heap it used. The figures go to target/big-upload-heap.txt.
 */
@Timeout(600)
class BigUploadIT {
    private static final long SIZE = 1L << 30;
    private static final Pattern GC = Pattern.compile("GC\\(\\d+\\) Pause.* (\\d+)M->(\\d+)M\\((\\d+)M\\)");

    @TempDir
    Path work;

    @Test
    void aOneGibUploadIsStreamedToDiskAndDigestedWithTheRightSha256InAFlatHeap() throws Exception {
        Path gcLog = work.resolve("gc.log");
        Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS", "-Xmx256m -Xlog:gc:file=" + gcLog);
        try (JoblineProcess server = JoblineProcess.start(work, env, "--port", "0", "--data", work.resolve("data").toString())) {
            TestHttp http = new TestHttp(server.url());
            GeneratedBytes body = new GeneratedBytes(SIZE, 20261206);
            long t0 = System.nanoTime();
            TestHttp.Answer up = http.send(HttpRequest.newBuilder(URI.create(http.uri("/api/uploads?name=big.bin")))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), SIZE)));
            double uploadSeconds = (System.nanoTime() - t0) / 1e9;
            assertThat(up.status()).as(up.body()).isEqualTo(201);
            String expected = body.sha256();
            assertThat(up.json().get("sha256").asText()).isEqualTo(expected);
            assertThat(up.json().get("size").asLong()).isEqualTo(SIZE);
            String id = up.json().get("id").asText();
            assertThat(Files.size(work.resolve("data/uploads").resolve(id))).isEqualTo(SIZE);

            long t1 = System.nanoTime();
            JsonNode job = http.post("/api/jobs", "{\"type\":\"digest\",\"params\":{\"upload\":\"" + id + "\"}}").json();
            boolean sawMiddle = false;
            for (int i = 0; i < 1000 && !job.get("state").asText().matches("succeeded|failed|cancelled"); i++) {
                job = http.get("/api/jobs/" + job.get("id").asText() + "?after=" + job.get("version").asLong() + "&wait=30s").json();
                long done = job.path("progress").path("done").asLong(0);
                if (done > 0 && done < SIZE) sawMiddle = true;
            }
            double digestSeconds = (System.nanoTime() - t1) / 1e9;
            assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("succeeded");
            assertThat(job.get("result").get("sha256").asText()).isEqualTo(expected);
            assertThat(job.get("result").get("size").asLong()).isEqualTo(SIZE);
            assertThat(job.get("result").get("lines").isNull()).isTrue();
            assertThat(sawMiddle).as("progress counted bytes on the way").isTrue();
            server.terminate(60);

            long peakBefore = 0, peakAfter = 0, pauses = 0;
            Matcher m = GC.matcher(Files.readString(gcLog));
            while (m.find()) {
                pauses++;
                peakBefore = Math.max(peakBefore, Long.parseLong(m.group(1)));
                peakAfter = Math.max(peakAfter, Long.parseLong(m.group(2)));
            }
            String figures = String.format(java.util.Locale.ROOT, "1 GiB upload: %.1f s (%.0f MB/s); digest job: %.1f s (%.0f MB/s);"
                    + " heap -Xmx256m: %d GC pauses, at most %d MiB used before a GC, at most %d MiB live after one%n",
                    uploadSeconds, SIZE / 1e6 / uploadSeconds, digestSeconds, SIZE / 1e6 / digestSeconds, pauses, peakBefore, peakAfter);
            Files.writeString(Path.of("target", "big-upload-heap.txt"), figures);
            System.out.print(figures);
            assertThat(peakAfter).as("live heap after a GC, MiB: it streams, it does not hold the file").isLessThan(64);
        }
    }
}
