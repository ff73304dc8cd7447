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

/** The README's "Run your own scripts" block, run as written: the example commands file served by the real jar. */
@Timeout(300)
class ReadmeCommandsIT {
    private static final Pattern COMMANDS = Pattern.compile("<!-- readme-commands -->\\s*```sh\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void theRunYourOwnScriptsBlockOfTheReadmeRunsAsWritten() throws Exception {
        List<String> blocks = ReadmeTourIT.blocks(COMMANDS);
        assertThat(blocks).hasSize(1);
        Path script = dir.resolve("commands.sh");
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
        assertThat(text).contains("count  Counts to a number", "to (integer)", "succeeded result {\"counted\":5}",
                "failed error: exited with code 3; last lines of standard error:\ncannot count past 2: asked to fail at 3", "exit 1",
                "params.to must be an integer from 1 to 1000",
                "counting to 5, a step every", "note: 5 is a multiple of five").doesNotContain("Exception");
    }
}
