package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.TestHttp;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One data folder, one process: a second Jobline on the same --data is refused before it reads anything. */
@Timeout(120)
class DataFolderLockIT {
    @TempDir
    Path dir;

    private Process second(String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(JoblineProcess.java(), "-jar", JoblineProcess.jar().toString()));
        cmd.addAll(java.util.List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    }

    @Test
    void aSecondProcessOnTheSameDataFolderIsRefusedAndTheFirstRunsOnUntouched() throws Exception {
        Path data = dir.resolve("data");
        try (JoblineProcess first = JoblineProcess.start(dir, "--port", "0", "--data", data.toString())) {
            TestHttp http = new TestHttp(first.url());
            String id = http.submitSleep("{\"seconds\":3,\"steps\":30}");
            long v = 0;
            while (!http.get("/api/jobs/" + id + "?after=" + v + "&wait=10s").json().get("state").asText().equals("running")) {
                v = http.get("/api/jobs/" + id).json().get("version").asLong();
            }
            // the same port (bind would fail) and a free one: both stop at the lock, before recovery could touch the running job
            int port = URI.create(first.url()).getPort();
            for (String p : new String[] {String.valueOf(port), "0"}) {
                Process again = second("--port", p, "--data", data.toString());
                assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String out = new String(again.getInputStream().readAllBytes());
                assertThat(again.exitValue()).as(out).isEqualTo(3);
                assertThat(out).contains(data.toAbsolutePath().toString()).contains("in use")
                        .contains("pid " + first.process().pid()).doesNotContain("Exception");
            }
            String state;
            do {
                var job = http.get("/api/jobs/" + id + "?after=" + v + "&wait=10s").json();
                v = job.get("version").asLong();
                state = job.get("state").asText();
                assertThat(job.get("attempt").asInt()).isEqualTo(1);
            } while (!state.equals("succeeded"));
            assertThat(first.stderr()).doesNotContain("UNIQUE").doesNotContain("recovered").doesNotContain("ERROR");
            assertThat(first.terminate(60)).isIn(0, 143);
        }
        // once the first has stopped, the folder is free again; a port in use is said in words, not a stack trace
        try (JoblineProcess other = JoblineProcess.start(dir, "--port", "0", "--store", "memory")) {
            Process busy = second("--port", String.valueOf(URI.create(other.url()).getPort()), "--data", data.toString());
            assertThat(busy.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(busy.getInputStream().readAllBytes());
            assertThat(busy.exitValue()).as(out).isEqualTo(3);
            assertThat(out).contains("in use").doesNotContain("Exception").doesNotContain("\tat ");
        }
        try (JoblineProcess again = JoblineProcess.start(dir, "--port", "0", "--data", data.toString())) {
            assertThat(new TestHttp(again.url()).get("/health").status()).isEqualTo(200);
        }
    }
}
