package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
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

/** The README's "Monitoring" blocks: the curl tour run as written against the real jar, and the scrape config checked by promtool. */
@Timeout(300)
class ReadmeMonitoringIT {
    private static final Pattern TOUR = Pattern.compile("<!-- readme-monitoring -->\\s*```sh\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CONFIG = Pattern.compile("<!-- readme-monitoring-config -->\\s*```yaml\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void theMonitoringBlockOfTheReadmeRunsAsWritten() throws Exception {
        List<String> blocks = ReadmeTourIT.blocks(TOUR);
        assertThat(blocks).hasSize(1);
        Path script = dir.resolve("monitoring.sh");
        Files.writeString(script, blocks.getFirst());
        ProcessBuilder pb = new ProcessBuilder("bash", "-e", script.toString()).directory(ReadmeTourIT.repositoryRoot().toFile())
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("JOBLINE_"));
        Path jdk = Path.of(System.getProperty("java.home"));
        if (!jdk.startsWith("/usr/lib/jvm")) pb.environment().put("JAVA_HOME", jdk.toString());
        try (ServerSocket s = new ServerSocket(0)) {
            // why: a free port instead of the README's default, which another server on this machine may hold
            pb.environment().put("PORT", String.valueOf(s.getLocalPort()));
        }
        String text = run(pb);
        assertThat(text).contains("queued\n403\n", "jobline_jobs_submitted_total{type=\"sleep\"} 1.0", "promtool: no problems",
                "{\"event\":\"request\",\"owner\":\"alice\",\"method\":\"POST\",\"route\":\"/api/jobs\",\"status\":202,")
                .doesNotContain("s3cr3t", "Exception");
    }

    @Test
    void theScrapeConfigOfTheReadmeIsOnePrometheusReads() throws Exception {
        List<String> blocks = ReadmeTourIT.blocks(CONFIG);
        assertThat(blocks).hasSize(1);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, blocks.getFirst());
        String text = run(new ProcessBuilder("promtool", "check", "config", "--syntax-only", config.toString()).redirectErrorStream(true));
        assertThat(text).contains("SUCCESS");
    }

    private static String run(ProcessBuilder pb) throws Exception {
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String text = out.join();
        assertThat(p.waitFor()).as(text).isZero();
        return text;
    }
}
