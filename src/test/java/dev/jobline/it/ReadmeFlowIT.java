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

/** The README's "When and how jobs run" block, run as written against the real jar it starts. */
@Timeout(300)
class ReadmeFlowIT {
    private static final Pattern FLOW = Pattern.compile("<!-- readme-flow -->\\s*```sh\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void theWhenAndHowJobsRunBlockOfTheReadmeRunsAsWritten() throws Exception {
        ReadmeTourIT.theJarIsNewerThanItsSources();
        List<String> blocks = ReadmeTourIT.blocks(FLOW);
        assertThat(blocks).hasSize(1);
        Path script = dir.resolve("flow.sh");
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
        assertThat(text).contains("{\"state\":\"queued\",\"waiting\":true}", "{\"state\":\"succeeded\",\"startedAtRunAt\":true}",
                "{\"state\":\"failed\",\"attempt\":3,\"errors\":[1,2]}", "{\"state\":\"failed\",\"error\":\"timeout\"}",
                "high priority first", "queue: 'emails' is not a declared queue; declared queues: reports",
                "{\"state\":\"succeeded\",\"attempt\":2,\"result\":{\"resumedFrom\":{\"page\":3}}}").doesNotContain("Exception");
    }
}
