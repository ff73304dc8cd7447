package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's Streams block, run as written with curl -N against the real jar. */
@Timeout(180)
class ReadmeStreamsIT {
    private static final Pattern STREAMS = Pattern.compile("<!-- readme-streams -->\\s*```sh\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void theStreamsBlockOfTheReadmeRunsAsWritten() throws Exception {
        List<String> blocks = ReadmeTourIT.blocks(STREAMS);
        assertThat(blocks).hasSize(1);
        Path script = dir.resolve("streams.sh");
        Files.writeString(script, blocks.getFirst());
        try (JoblineProcess server = JoblineProcess.start(dir, "--port", "0", "--store", "memory")) {
            ProcessBuilder pb = new ProcessBuilder("bash", "-e", script.toString()).directory(ReadmeTourIT.repositoryRoot().toFile())
                    .redirectErrorStream(true);
            pb.environment().keySet().removeIf(k -> k.startsWith("JOBLINE_"));
            pb.environment().put("JOBLINE_URL", server.url());
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            });
            if (!p.waitFor(120, TimeUnit.SECONDS)) p.destroyForcibly();
            String text = out.join();
            assertThat(p.waitFor()).as(text).isZero();
            assertThat(text).startsWith("retry: 1000\n\nevent: job\nid: ")
                    .contains("\"state\":\"succeeded\"", "event: line\nid: 2\ndata: {\"n\":2,", "slept 1 s", "event: reset\nid: ")
                    .doesNotContain("event: line\nid: 1\n");
        }
    }
}
