package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Recurring jobs" block, run as written: the example schedules file served by the real jar. */
@Timeout(300)
class ReadmeSchedulesIT {
    @TempDir
    Path dir;

    @Test
    void theRecurringJobsBlockOfTheReadmeRunsAsWritten() throws Exception {
        String text = ReadmeBlock.of("readme-schedules").freePort("PORT").run(dir, Duration.ofSeconds(240));
        assertThat(text).contains("nightly: 0 3 * * * Europe/Berlin, next ", "heartbeat: @every 2s UTC, next ",
                "NAME", "NEXT RUN", "succeeded").doesNotContain("Exception", "null");
        assertThat(text).containsPattern("heartbeat +@every 2s UTC +sleep +in \\ds");
    }
}
