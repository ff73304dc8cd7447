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

/** The README's "Running several nodes" block, run as written: a throwaway PostgreSQL, two nodes, a job followed across them. */
@Timeout(300)
class ReadmeClusterIT {
    private static final Pattern CLUSTER = Pattern.compile("<!-- readme-cluster -->\\s*```sh\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theClusterBlockOfTheReadmeRunsAsWritten() throws Exception {
        List<String> blocks = ReadmeTourIT.blocks(CLUSTER);
        assertThat(blocks).hasSize(1);
        Path script = dir.resolve("cluster.sh");
        Files.writeString(script, blocks.getFirst());
        ProcessBuilder pb = new ProcessBuilder("bash", "-e", script.toString()).directory(ReadmeTourIT.repositoryRoot().toFile())
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("JOBLINE_"));
        // why: free ports and a folder of the test's own, instead of the README's defaults another process may hold
        pb.environment().put("NODE_A", String.valueOf(freePort()));
        pb.environment().put("NODE_B", String.valueOf(freePort()));
        pb.environment().put("PGDIR", dir.resolve("pg").toString());
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
        assertThat(text).contains("succeeded result {\"slept\":2}").contains("node-a").contains("node-b")
                .doesNotContain("Exception");
    }
}
