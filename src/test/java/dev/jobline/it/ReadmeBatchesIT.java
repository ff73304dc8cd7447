package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Dependencies and batches" block, run as written against the real jar on SQLite. */
@Timeout(300)
class ReadmeBatchesIT {
    private static final Pattern BATCHES = Pattern.compile("<!-- readme-batches -->\\s*```sh\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void theDependenciesAndBatchesBlockOfTheReadmeRunsAsWritten() throws Exception {
        ReadmeTourIT.theJarIsNewerThanItsSources();
        List<String> blocks = ReadmeTourIT.blocks(BATCHES);
        assertThat(blocks).hasSize(1);
        Path script = dir.resolve("flow.sh");
        Files.writeString(script, blocks.getFirst());
        try (JoblineProcess server = JoblineProcess.start(dir, "--port", "0", "--store", "sqlite", "--data", dir.resolve("data").toString())) {
            ProcessBuilder pb = new ProcessBuilder("bash", "-e", script.toString()).directory(ReadmeTourIT.repositoryRoot().toFile())
                    .redirectErrorStream(true);
            pb.environment().keySet().removeIf(k -> k.startsWith("JOBLINE_"));
            pb.environment().put("JOBLINE_URL", server.url());
            Path jdk = Path.of(System.getProperty("java.home"));
            if (!jdk.startsWith("/usr/lib/jvm")) pb.environment().put("JAVA_HOME", jdk.toString());
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    return "";
                }
            });
            if (!p.waitFor(150, TimeUnit.SECONDS)) p.destroyForcibly();
            String text = out.join();
            assertThat(p.waitFor()).as(text).isZero();
            assertThat(text).contains("{\"state\":\"queued\",\"waitingFor\":1}",
                    "{\"type\":\"sleep\",\"state\":\"succeeded\"",
                    "{\"type\":\"batch\",\"state\":\"running\",\"progress\":{\"percent\":0",
                    "\"done\":0,\"total\":3,\"message\":\"0 of 3 ended\"}",
                    "{\"type\":\"batch\",\"state\":\"succeeded\",\"progress\":{\"percent\":100",
                    "\"done\":3,\"total\":3,\"message\":\"3 of 3 ended\"}",
                    "[\"succeeded\",\"succeeded\",\"succeeded\"]")
                    .doesNotContain("Exception");
        }
    }
}
