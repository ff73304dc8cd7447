package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Running several nodes" block, run as written: a throwaway PostgreSQL, two nodes, a job followed across them. */
@Timeout(300)
class ReadmeClusterIT {
    @TempDir
    Path dir;

    @Test
    void theClusterBlockOfTheReadmeRunsAsWritten() throws Exception {
        // why: free ports and a folder of the test's own, instead of the README's defaults another process may hold
        String text = ReadmeBlock.of("readme-cluster").freePort("NODE_A").freePort("NODE_B").env("PGDIR", dir.resolve("pg").toString())
                .run(dir, Duration.ofSeconds(240));
        assertThat(text).contains("succeeded result {\"slept\":2}").contains("node-a").contains("node-b")
                .doesNotContain("Exception");
    }
}
