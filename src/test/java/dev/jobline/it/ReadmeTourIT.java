package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.TestHttp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's commands as written, so they cannot rot: each sh block after a
 * {@code <!-- readme-tour -->} line with bash against a real server, and the block after
 * {@code <!-- readme-serve -->} as a server. They run from the repository root with a PATH whose
 * {@code java} is older than 21 when this machine has one (Debian's 17), so that they cannot
 * depend on the default java: {@code ./jobline} finds a JDK 21+ by itself.
 */
@Timeout(300)
class ReadmeTourIT {
    private static final Pattern TOUR = Pattern.compile("<!-- readme-tour -->\\s*```sh\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern SERVE = Pattern.compile("<!-- readme-serve -->\\s*```sh\\n(.*?)```", Pattern.DOTALL);
    private static final Path OLD_JAVA = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin");
    private static final Path ROOT = repositoryRoot();

    @TempDir
    Path dir;

    /** The folder with the README and the ./jobline launcher, looked for from the working directory up. */
    static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("jobline")) && Files.isRegularFile(p.resolve("README.md"))) return p;
        }
        throw new IllegalStateException("no folder with README.md and ./jobline above " + Path.of("").toAbsolutePath());
    }

    @BeforeAll
    static void theJarIsNewerThanItsSources() throws IOException {
        // why: ./jobline rebuilds a stale jar with Maven, which must not happen inside the build running this test
        FileTime jar = Files.getLastModifiedTime(JoblineProcess.jar());
        try (Stream<Path> sources = Stream.of("src/main", "public", "pom.xml").map(ROOT::resolve).flatMap(ReadmeTourIT::walk)) {
            assertThat(sources.filter(f -> modified(f).compareTo(jar) > 0).findFirst())
                    .as("a source newer than %s: rebuild it before this test", JoblineProcess.jar()).isEmpty();
        }
    }

    static List<String> blocks(Pattern marker) throws IOException {
        Matcher m = marker.matcher(Files.readString(ROOT.resolve("README.md")));
        List<String> blocks = new ArrayList<>();
        while (m.find()) blocks.add(m.group(1));
        return blocks;
    }

    private record Ran(int exit, String out) {}

    /** bash running {@code script} from the repository root, with an older java first on PATH. */
    private ProcessBuilder bash(String script, Map<String, String> env) throws IOException {
        Path file = dir.resolve("readme-" + System.nanoTime() + ".sh");
        Files.writeString(file, script);
        ProcessBuilder pb = new ProcessBuilder("bash", "-e", file.toString()).directory(ROOT.toFile()).redirectErrorStream(true);
        Path jdk = Path.of(System.getProperty("java.home"));
        // why: ./jobline looks in /usr/lib/jvm by itself; a JDK anywhere else is found through JAVA_HOME
        if (jdk.startsWith("/usr/lib/jvm")) pb.environment().remove("JAVA_HOME");
        else pb.environment().put("JAVA_HOME", jdk.toString());
        if (Files.isExecutable(OLD_JAVA.resolve("java"))) pb.environment().put("PATH", OLD_JAVA + ":" + System.getenv("PATH"));
        pb.environment().keySet().removeIf(k -> k.startsWith("JOBLINE_"));
        pb.environment().putAll(env);
        return pb;
    }

    private Ran tour(String script, String url) throws IOException, InterruptedException {
        Process p = bash(script, Map.of("JOBLINE_URL", url)).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p));
        if (!p.waitFor(150, TimeUnit.SECONDS)) p.destroyForcibly();
        return new Ran(p.waitFor(), out.join());
    }

    @Test
    void theCurlAndCommandLineToursOfTheReadmeRunAsWritten() throws Exception {
        List<String> tours = blocks(TOUR);
        assertThat(tours).hasSize(2);
        try (JoblineProcess server = JoblineProcess.start(dir, "--port", "0", "--store", "memory")) {
            Ran curl = tour(tours.get(0), server.url());
            assertThat(curl.exit()).as(curl.out()).isZero();
            assertThat(curl.out()).contains("{\"state\":\"succeeded\",\"percent\":100").contains("\"changed\":[\"")
                    .contains("1 log sleeping 1 s in 100 steps\n2 log slept 1 s\n")
                    .doesNotContain("null").endsWith("204\n");

            Ran cli = tour(tours.get(1), server.url());
            assertThat(cli.exit()).as(cli.out()).isZero();
            assertThat(cli.out()).contains("succeeded result {\"slept\":2}", "exit 2", "\"state\":\"failed\"", "sleep  Sleeps")
                    .contains("sleeping 1 s in 100 steps\n", "slept 1 s\n", "succeeded result {\"slept\":1}")
                    .doesNotContain("UnsupportedClassVersionError", "Exception");
        }
    }

    @Test
    void theCommandThatServesThePageFromItsFolderRunsAsWritten() throws Exception {
        List<String> serve = blocks(SERVE);
        assertThat(serve).hasSize(1);
        // why: JOBLINE_PORT=0 instead of the default 7070, which another server on this machine may hold
        Process p = bash(serve.getFirst(), Map.of("JOBLINE_PORT", "0")).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = CompletableFuture.supplyAsync(() -> listeningLine(out)).completeOnTimeout(null, 120, TimeUnit.SECONDS).join();
            assertThat(line).as("the listening line").startsWith("Jobline listening on http://");
            TestHttp http = new TestHttp(line.substring("Jobline listening on ".length()).trim());
            assertThat(http.get("/").body()).isEqualTo(Files.readString(ROOT.resolve("public/index.html")));
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String listeningLine(BufferedReader out) {
        try {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("Jobline listening on ")) return line;
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String read(Process p) {
        try {
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static Stream<Path> walk(Path p) {
        try {
            return Files.isDirectory(p) ? Files.walk(p).filter(Files::isRegularFile).toList().stream() : Stream.of(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static FileTime modified(Path f) {
        try {
            return Files.getLastModifiedTime(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
