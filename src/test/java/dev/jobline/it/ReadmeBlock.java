package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The one shell block of the README after {@code <!-- marker -->}, run as written: by bash, from
 * the repository's root (so {@code ./jobline} is the checkout's), with no JOBLINE_ variable of the
 * test's own and the test's JDK when it is not one {@code ./jobline} finds by itself.
 */
final class ReadmeBlock {
    private final String marker;
    private final Map<String, String> env = new LinkedHashMap<>();

    private ReadmeBlock(String marker) {
        this.marker = marker;
    }

    static ReadmeBlock of(String marker) {
        return new ReadmeBlock(marker);
    }

    /** The block's text; the README must hold exactly one block after the marker. */
    static String text(String marker, String language) throws IOException {
        List<String> blocks = ReadmeTourIT.blocks(Pattern.compile("<!-- " + Pattern.quote(marker) + " -->\\s*```" + language
                + "\\n(.*?)```", Pattern.DOTALL));
        assertThat(blocks).as("blocks after <!-- " + marker + " -->").hasSize(1);
        return blocks.getFirst();
    }

    ReadmeBlock env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Sets {@code name} to a free port, instead of the README's default that another server on this machine may hold. */
    ReadmeBlock freePort(String name) {
        try (ServerSocket s = new ServerSocket(0)) {
            return env(name, String.valueOf(s.getLocalPort()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the block in a script file in {@code dir}; what it printed (both streams), once it exited 0 within {@code limit}. */
    String run(Path dir, Duration limit) throws Exception {
        Path script = dir.resolve(marker + ".sh");
        Files.writeString(script, text(marker, "sh"));
        ProcessBuilder pb = new ProcessBuilder("bash", "-e", script.toString()).directory(ReadmeTourIT.repositoryRoot().toFile())
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("JOBLINE_"));
        Path jdk = Path.of(System.getProperty("java.home"));
        if (!jdk.startsWith("/usr/lib/jvm")) pb.environment().put("JAVA_HOME", jdk.toString());
        pb.environment().putAll(env);
        return output(pb, limit);
    }

    /** Runs {@code pb} to its end, or kills it and what it started after {@code limit}; what it printed, once it exited 0. */
    static String output(ProcessBuilder pb, Duration limit) throws Exception {
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String text = out.join();
        assertThat(p.waitFor()).as(text).isZero();
        return text;
    }
}
