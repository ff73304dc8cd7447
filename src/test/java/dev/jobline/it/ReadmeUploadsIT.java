package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's uploads block as written, with bash against the real jar (as {@link ReadmeTourIT} runs the tours). */
@Timeout(300)
class ReadmeUploadsIT {
    @TempDir
    Path dir;

    @Test
    void theUploadsBlockOfTheReadmeRunsAsWritten() throws Exception {
        ReadmeTourIT.theJarIsNewerThanItsSources();
        try (JoblineProcess server = JoblineProcess.start(dir, "--port", "0", "--store", "sqlite", "--data", dir.resolve("data").toString())) {
            String text = ReadmeBlock.of("readme-uploads").env("JOBLINE_URL", server.url()).run(dir, Duration.ofSeconds(150));
            String sha = text.lines().filter(l -> l.contains("  /")).findFirst().orElseThrow().split(" ")[0];
            assertThat(text).contains("{\"name\":\"fruit.csv\",\"size\":28,\"sha256\":\"" + sha + "\"}")
                    .contains("\"sha256\":\"" + sha + "\"", "\"contentType\":\"text/csv; charset=utf-8\",\"lines\":3")
                    .contains("{\"type\":\"digest\",\"state\":\"queued\",\"upload\":\"", "same bytes", "\n204\n", "succeeded result {")
                    .doesNotContain("Exception", "null,");
        }
    }
}
