package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Monitoring" blocks: the curl tour run as written against the real jar, and the scrape config checked by promtool. */
@Timeout(300)
class ReadmeMonitoringIT {
    @TempDir
    Path dir;

    @Test
    void theMonitoringBlockOfTheReadmeRunsAsWritten() throws Exception {
        String text = ReadmeBlock.of("readme-monitoring").freePort("PORT").run(dir, Duration.ofSeconds(240));
        assertThat(text).contains("queued\n403\n", "jobline_jobs_submitted_total{type=\"sleep\"} 1.0", "promtool: no problems",
                "{\"event\":\"request\",\"owner\":\"alice\",\"method\":\"POST\",\"route\":\"/api/jobs\",\"status\":202,")
                .doesNotContain("s3cr3t", "Exception");
    }

    @Test
    void theScrapeConfigOfTheReadmeIsOnePrometheusReads() throws Exception {
        Path config = dir.resolve("prometheus.yml");
        java.nio.file.Files.writeString(config, ReadmeBlock.text("readme-monitoring-config", "yaml"));
        String text = ReadmeBlock.output(new ProcessBuilder("promtool", "check", "config", "--syntax-only", config.toString())
                .redirectErrorStream(true), Duration.ofSeconds(60));
        assertThat(text).contains("SUCCESS");
    }
}
