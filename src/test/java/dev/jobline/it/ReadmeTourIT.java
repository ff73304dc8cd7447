package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's tours (each sh block after a {@code <!-- readme-tour -->} line) with bash against the real jar, so they cannot rot. */
@Timeout(240)
class ReadmeTourIT {
    private static final Pattern TOUR = Pattern.compile("<!-- readme-tour -->\\s*```sh\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    static List<String> tours() throws IOException {
        Path readme = JoblineProcess.jar().getParent().getParent().resolve("README.md");
        Matcher m = TOUR.matcher(Files.readString(readme));
        List<String> blocks = new ArrayList<>();
        while (m.find()) blocks.add(m.group(1));
        return blocks;
    }

    private record Ran(int exit, String out) {}

    private Ran bash(String script, String url) throws IOException, InterruptedException {
        Path file = dir.resolve("tour-" + System.nanoTime() + ".sh");
        Files.writeString(file, script);
        Path project = JoblineProcess.jar().getParent().getParent();
        ProcessBuilder pb = new ProcessBuilder("bash", "-e", file.toString()).directory(project.toFile()).redirectErrorStream(true);
        pb.environment().put("JOBLINE_URL", url);
        // why: the README says `java`; it must be a JDK 21+ like the one running the tests
        pb.environment().put("PATH", Path.of(JoblineProcess.java()).getParent() + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) p.destroyForcibly();
        return new Ran(p.exitValue(), out);
    }

    @Test
    void theCurlAndCommandLineToursOfTheReadmeRunAsWritten() throws Exception {
        List<String> tours = tours();
        assertThat(tours).hasSize(2);
        try (JoblineProcess server = JoblineProcess.start(dir, "--port", "0", "--store", "memory")) {
            Ran curl = bash(tours.get(0), server.url());
            assertThat(curl.exit()).as(curl.out()).isZero();
            assertThat(curl.out()).contains("{\"state\":\"succeeded\",\"percent\":100").contains("\"changed\":[\"")
                    .doesNotContain("null").endsWith("204\n");

            Ran cli = bash(tours.get(1), server.url());
            assertThat(cli.exit()).as(cli.out()).isZero();
            assertThat(cli.out()).contains("succeeded result {\"slept\":2}", "exit 2", "\"state\":\"failed\"", "sleep  Sleeps");
        }
    }
}
