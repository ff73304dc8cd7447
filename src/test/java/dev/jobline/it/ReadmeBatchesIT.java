package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Dependencies and batches" block, run as written against the real jar on SQLite. */
@Timeout(300)
class ReadmeBatchesIT {
    @TempDir
    Path dir;

    @Test
    void theDependenciesAndBatchesBlockOfTheReadmeRunsAsWritten() throws Exception {
        ReadmeTourIT.theJarIsNewerThanItsSources();
        try (JoblineProcess server = JoblineProcess.start(dir, "--port", "0", "--store", "sqlite", "--data", dir.resolve("data").toString())) {
            String text = ReadmeBlock.of("readme-batches").env("JOBLINE_URL", server.url()).run(dir, Duration.ofSeconds(150));
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
