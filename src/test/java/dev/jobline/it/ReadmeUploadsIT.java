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

/** Runs the README's uploads block as written, with bash against the real jar (as {@link ReadmeTourIT} runs the tours). */
@Timeout(300)
class ReadmeUploadsIT {
    private static final Pattern UPLOADS = Pattern.compile("<!-- readme-uploads -->\\s*```sh\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void theUploadsBlockOfTheReadmeRunsAsWritten() throws Exception {
        ReadmeTourIT.theJarIsNewerThanItsSources();
        List<String> blocks = ReadmeTourIT.blocks(UPLOADS);
        assertThat(blocks).hasSize(1);
        Path script = dir.resolve("uploads.sh");
        Files.writeString(script, blocks.getFirst());
        try (JoblineProcess server = JoblineProcess.start(dir, "--port", "0", "--store", "sqlite", "--data", dir.resolve("data").toString())) {
            ProcessBuilder pb = new ProcessBuilder("bash", "-e", script.toString()).directory(ReadmeTourIT.repositoryRoot().toFile())
                    .redirectErrorStream(true);
            pb.environment().keySet().removeIf(k -> k.startsWith("JOBLINE_"));
            pb.environment().put("JOBLINE_URL", server.url());
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
            List<String> lines = text.lines().toList();
            String sha = lines.stream().filter(l -> l.contains("  /")).findFirst().orElseThrow().split(" ")[0];
            assertThat(text).contains("{\"name\":\"fruit.csv\",\"size\":28,\"sha256\":\"" + sha + "\"}")
                    .contains("\"sha256\":\"" + sha + "\"", "\"contentType\":\"text/csv; charset=utf-8\",\"lines\":3")
                    .contains("{\"type\":\"digest\",\"state\":\"queued\",\"upload\":\"", "same bytes", "\n204\n", "succeeded result {")
                    .doesNotContain("Exception", "null,");
        }
    }
}
