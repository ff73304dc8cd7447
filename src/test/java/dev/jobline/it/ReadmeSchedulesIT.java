package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Recurring jobs" block, run as written: the example schedules file served by the real jar. */
@Timeout(300)
class ReadmeSchedulesIT {
    private static final Pattern SCHEDULES = Pattern.compile("<!-- readme-schedules -->\\s*```sh\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void theRecurringJobsBlockOfTheReadmeRunsAsWritten() throws Exception {
        List<String> blocks = ReadmeTourIT.blocks(SCHEDULES);
        assertThat(blocks).hasSize(1);
        Path script = dir.resolve("schedules.sh");
        Files.writeString(script, blocks.getFirst());
        ProcessBuilder pb = new ProcessBuilder("bash", "-e", script.toString()).directory(ReadmeTourIT.repositoryRoot().toFile())
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("JOBLINE_"));
        Path jdk = Path.of(System.getProperty("java.home"));
        if (!jdk.startsWith("/usr/lib/jvm")) pb.environment().put("JAVA_HOME", jdk.toString());
        try (ServerSocket s = new ServerSocket(0)) {
            // why: a free port instead of the README's default, which another server on this machine may hold
            pb.environment().put("PORT", String.valueOf(s.getLocalPort()));
        }
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String text = out.join();
        assertThat(p.waitFor()).as(text).isZero();
        assertThat(text).contains("nightly: 0 3 * * * Europe/Berlin, next ", "heartbeat: @every 2s UTC, next ",
                "NAME", "NEXT RUN", "succeeded").doesNotContain("Exception", "null");
        assertThat(text).containsPattern("heartbeat +@every 2s UTC +sleep +in \\ds");
    }
}
