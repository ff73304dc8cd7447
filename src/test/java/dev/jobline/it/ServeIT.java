package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.TestHttp;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The fat jar, as users run it. */
@Timeout(120)
class ServeIT {
    @TempDir
    Path dir;

    @Test
    void theJarServesTheApiOnTheAnnouncedPortAndExitsCleanlyOnSigterm() throws Exception {
        try (JoblineProcess p = JoblineProcess.start(dir, "serve", "--port", "0", "--store", "memory")) {
            assertThat(p.url()).matches("http://127\\.0\\.0\\.1:\\d+");
            TestHttp http = new TestHttp(p.url());
            assertThat(http.get("/health").status()).isEqualTo(200);
            String id = http.submitSleep("{\"seconds\":0.2,\"steps\":2}");
            long v = 0;
            String state;
            do {
                var job = http.get("/api/jobs/" + id + "?after=" + v + "&wait=10s").json();
                v = job.get("version").asLong();
                state = job.get("state").asText();
            } while (!state.equals("succeeded"));
            assertThat(http.get("/").body()).contains("Jobline");
            assertThat(p.terminate(60)).isIn(0, 143);
        }
    }

    @Test
    void optionsAlsoComeFromTheEnvironmentAndBadOnesExitWithUsageCode() throws Exception {
        try (JoblineProcess p = JoblineProcess.start(dir, java.util.Map.of("JOBLINE_PORT", "0", "JOBLINE_STORE", "memory",
                "JOBLINE_HOST", "localhost"))) {
            assertThat(p.url()).startsWith("http://localhost:");
            assertThat(new TestHttp(p.url()).get("/health").status()).isEqualTo(200);
        }
        Process bad = new ProcessBuilder(JoblineProcess.java(), "-jar", JoblineProcess.jar().toString(), "--port", "seventy")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(bad.getInputStream().readAllBytes());
        assertThat(bad.waitFor()).isEqualTo(3);
        assertThat(out).contains("--port must be a whole number");
        Process help = new ProcessBuilder(JoblineProcess.java(), "-jar", JoblineProcess.jar().toString(), "--help")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String usage = new String(help.getInputStream().readAllBytes());
        assertThat(help.waitFor()).isZero();
        assertThat(usage).contains("--max-wait").contains("JOBLINE_");
    }
}
