package dev.jobline.page;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import dev.jobline.Jobline;
import dev.jobline.TestHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The page's security headers, and a page that loads under them with nothing in the console. */
@Timeout(120)
class PageSecurityIT extends BrowserTest {
    private static final Path PUBLIC = Path.of("public");
    // the browser asks for the icon the page names, or for /favicon.ico when it names none
    private static final Set<String> ICONS = Set.of("/favicon.ico", "/icon.svg");

    private static List<String> pagePaths() throws IOException {
        List<String> paths = new ArrayList<>(List.of("/"));
        try (Stream<Path> files = Files.list(PUBLIC)) {
            files.map(f -> "/" + f.getFileName()).sorted().forEach(paths::add);
        }
        return paths;
    }

    private static void assertSecurityHeaders(String url) throws IOException {
        TestHttp http = new TestHttp(url);
        List<String> paths = pagePaths();
        assertThat(paths).contains("/index.html", "/app.js", "/style.css", "/icon.svg");
        for (String path : paths) {
            var answer = http.get(path);
            assertThat(answer.status()).as(path).isEqualTo(200);
            assertThat(answer.header("Content-Security-Policy")).as(path)
                    .isEqualTo("default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'");
            assertThat(answer.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(answer.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
        }
    }

    @Test
    void everyFileOfThePageComesWithAStrictContentSecurityPolicyNosniffAndNoReferrer() throws IOException {
        try (Jobline server = JobsPage.server(0)) {
            assertSecurityHeaders(server.url());
        }
    }

    @Test
    void withPublicDirThePageComesWithTheSameHeaders() throws IOException {
        try (Jobline server = JobsPage.server(0, "--public-dir", PUBLIC.toString())) {
            assertSecurityHeaders(server.url());
        }
    }

    @Test
    void thePageLoadsWithItsIconAndNoConsoleErrorPageErrorOrPolicyViolation() {
        try (Jobline server = JobsPage.server(0)) {
            Page tab = chromium.newPage();
            Settled settled = Settled.watch(tab);
            JobsPage.open(tab, server.url());
            settled.await();
            assertThat(chromium.errors.unexpected()).isEmpty();
            assertThat(settled.icons).containsExactly("/icon.svg");
            tab.context().close();
        }
    }

    @Test
    void withPublicDirThePageLoadsWithNoConsoleError() {
        try (Jobline server = JobsPage.server(0, "--public-dir", PUBLIC.toString())) {
            Page tab = chromium.newPage();
            Settled settled = Settled.watch(tab);
            JobsPage.open(tab, server.url());
            settled.await();
            assertThat(chromium.errors.unexpected()).isEmpty();
            tab.context().close();
        }
    }

    @Test
    void theBrowserRefusesInlineScriptAndStyleAndTheTestsHearOfIt() {
        try (Jobline server = JobsPage.server(0)) {
            Page tab = chromium.newPage();
            JobsPage.open(tab, server.url());
            tab.evaluate("() => {"
                    + " const s = document.createElement('script'); s.textContent = 'window.inlineRan = true'; document.head.append(s);"
                    + " document.getElementById('jobs-h').setAttribute('style', 'color: red'); }");
            tab.waitForCondition(() -> chromium.errors.unexpected().stream().filter(s -> s.kind().equals("csp")).count() == 2);
            assertThat(tab.evaluate("() => window.inlineRan === undefined")).isEqualTo(true);
            List<BrowserErrors.Seen> seen = chromium.errors.unexpected();
            assertThat(seen).filteredOn(s -> s.kind().equals("csp")).extracting(BrowserErrors.Seen::text)
                    .anyMatch(t -> t.startsWith("script-src-elem blocked inline"))
                    .anyMatch(t -> t.startsWith("style-src-attr blocked inline"));
            // why: older Chromium says "Refused to execute inline script ...", this one "Executing inline script violates ..."
            assertThat(seen).filteredOn(s -> s.kind().equals("console")).extracting(BrowserErrors.Seen::text)
                    .anyMatch(t -> t.matches("(?s).*inline script.*Content Security Policy.*"))
                    .anyMatch(t -> t.matches("(?s).*inline style.*Content Security Policy.*"));
            tab.context().close();
            chromium.errors.reset(); // why: caused on purpose, and checked above
        }
    }

    /**
     * Waits until every request the browser made for the page has ended but the parked watch,
     * the browser's own fetch of the icon included (Playwright does not report that one; the
     * DevTools protocol does).
     */
    private static final class Settled {
        private final Page tab;
        private final Set<String> pending = new HashSet<>();
        final List<String> icons = new ArrayList<>();

        private Settled(Page tab) {
            this.tab = tab;
        }

        static Settled watch(Page tab) {
            Settled s = new Settled(tab);
            CDPSession cdp = tab.context().newCDPSession(tab);
            cdp.on("Network.requestWillBeSent", e -> {
                String url = e.getAsJsonObject("request").get("url").getAsString();
                if (url.contains("wait=")) return;
                if (e.has("type") && e.get("type").getAsString().equals("EventSource")) return; // why: a stream never settles
                s.pending.add(id(e));
                String path = java.net.URI.create(url).getPath();
                if (ICONS.contains(path)) s.icons.add(path);
            });
            cdp.on("Network.loadingFinished", e -> s.pending.remove(id(e)));
            cdp.on("Network.loadingFailed", e -> s.pending.remove(id(e)));
            cdp.send("Network.enable");
            return s;
        }

        private static String id(JsonObject event) {
            return event.get("requestId").getAsString();
        }

        void await() {
            tab.waitForCondition(() -> !icons.isEmpty() && pending.isEmpty());
            tab.evaluate("() => 1"); // why: a round trip, so that Playwright hands over what the page logged meanwhile
        }
    }
}
