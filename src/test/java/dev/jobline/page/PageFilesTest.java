package dev.jobline.page;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.Jobline;
import dev.jobline.TestHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The page's files: served from the build and from --public-dir, every module found, nothing from elsewhere. */
@Timeout(60)
class PageFilesTest {
    private static final Path PUBLIC = Path.of("public");
    private static final Pattern IMPORT = Pattern.compile("from '\\./([a-z]+\\.js)'|src=\"([a-z]+\\.js)\"|href=\"([a-z]+\\.(?:css|svg))\"");
    // why: the Content-Security-Policy allows no inline script or style
    private static final Pattern INLINE = Pattern.compile("<script(?![^>]*\\ssrc=)|<style|\\sstyle=|\\son[a-z]+=|setAttribute\\(\\s*['\"]style|javascript:");
    // why: an SVG's xmlns names its namespace; it is no address the browser fetches
    private static final Pattern NAMESPACE = Pattern.compile("xmlns(:[a-z]+)?=\"[^\"]*\"");

    private static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(PUBLIC)) {
            return s.sorted().toList();
        }
    }

    @Test
    void everyFileThePageLoadsIsServedWithItsTypeFromTheBuild() throws IOException {
        try (Jobline server = JobsPage.server(0)) {
            TestHttp http = new TestHttp(server.url());
            var index = http.get("/");
            assertThat(index.status()).isEqualTo(200);
            assertThat(index.contentType()).startsWith("text/html");
            java.util.Set<String> loaded = new java.util.TreeSet<>();
            for (Path file : files()) {
                String text = Files.readString(file);
                Matcher m = IMPORT.matcher(text);
                while (m.find()) {
                    String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                    assertThat(PUBLIC.resolve(name)).as(file + " loads " + name).exists();
                    loaded.add(name);
                    var answer = http.get("/" + name);
                    assertThat(answer.status()).as(name).isEqualTo(200);
                    // why: browsers refuse to run a module served with any type but JavaScript's
                    assertThat(answer.contentType()).as(name).containsAnyOf("javascript", "text/css", "image/svg+xml");
                }
            }
            assertThat(loaded).contains("app.js", "style.css", "icon.svg", "api.js", "watch.js", "list.js", "row.js", "forms.js", "format.js", "nodes.js", "log.js", "schedules.js", "flow.js");
        }
    }

    @Test
    void thePageNeedsNothingFromAnotherHostSoItWorksOffline() throws IOException {
        for (Path file : files()) {
            String text = NAMESPACE.matcher(Files.readString(file)).replaceAll("");
            assertThat(text).as(file.toString()).doesNotContainPattern("(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/");
        }
    }

    @Test
    void thePageHasNoInlineScriptOrStyleSoItsContentSecurityPolicyCanForbidThem() throws IOException {
        for (Path file : files()) {
            assertThat(Files.readString(file)).as(file.toString()).doesNotContainPattern(INLINE);
        }
    }

    @Test
    void withPublicDirThePageComesFromThatFolder(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("index.html"), "<!doctype html><title>edited on disk</title>");
        try (Jobline server = JobsPage.server(0, "--public-dir", dir.toString())) {
            assertThat(new TestHttp(server.url()).get("/").body()).contains("edited on disk");
        }
    }
}
