package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's Streams block, run as written with curl -N against the real jar. */
@Timeout(180)
class ReadmeStreamsIT {
    @TempDir
    Path dir;

    @Test
    void theStreamsBlockOfTheReadmeRunsAsWritten() throws Exception {
        try (JoblineProcess server = JoblineProcess.start(dir, "--port", "0", "--store", "memory")) {
            String text = ReadmeBlock.of("readme-streams").env("JOBLINE_URL", server.url()).run(dir, Duration.ofSeconds(120));
            assertThat(text).startsWith("retry: 1000\n\nevent: job\nid: ")
                    .contains("\"state\":\"succeeded\"", "event: line\nid: 2\ndata: {\"n\":2,", "slept 1 s", "event: reset\nid: ")
                    .doesNotContain("event: line\nid: 1\n");
        }
    }
}
