package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's "When and how jobs run" block, run as written against the real jar it starts. */
@Timeout(300)
class ReadmeFlowIT {
    @TempDir
    Path dir;

    @Test
    void theWhenAndHowJobsRunBlockOfTheReadmeRunsAsWritten() throws Exception {
        ReadmeTourIT.theJarIsNewerThanItsSources();
        String text = ReadmeBlock.of("readme-flow").freePort("PORT").run(dir, Duration.ofSeconds(240));
        assertThat(text).contains("{\"state\":\"queued\",\"waiting\":true}", "{\"state\":\"succeeded\",\"startedAtRunAt\":true}",
                "{\"state\":\"failed\",\"attempt\":3,\"errors\":[1,2]}", "{\"state\":\"failed\",\"error\":\"timeout\"}",
                "high priority first", "queue: 'emails' is not a declared queue; declared queues: reports",
                "{\"state\":\"succeeded\",\"attempt\":2,\"result\":{\"resumedFrom\":{\"page\":3}}}").doesNotContain("Exception");
    }
}
