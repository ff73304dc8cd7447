package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Run your own scripts" block, run as written: the example commands file served by the real jar. */
@Timeout(300)
class ReadmeCommandsIT {
    @TempDir
    Path dir;

    @Test
    void theRunYourOwnScriptsBlockOfTheReadmeRunsAsWritten() throws Exception {
        String text = ReadmeBlock.of("readme-commands").freePort("PORT").run(dir, Duration.ofSeconds(240));
        assertThat(text).contains("count  Counts to a number", "to (integer)", "succeeded result {\"counted\":5}",
                "failed error: exited with code 3; last lines of standard error:\ncannot count past 2: asked to fail at 3", "exit 1",
                "params.to must be an integer from 1 to 1000",
                "counting to 5, a step every", "note: 5 is a multiple of five").doesNotContain("Exception");
    }
}
