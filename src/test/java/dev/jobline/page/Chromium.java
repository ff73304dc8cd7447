package dev.jobline.page;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's headless Chromium driven by Playwright for Java. Playwright's own browser download is
 * skipped: its driver (a Node.js shipped inside its jar) talks to /usr/bin/chromium, which
 * scripts/install-test-deps.sh installs. Each launch gets a fresh profile, each page its own context,
 * and {@link #errors} hears what goes wrong in every page it opens.
 */
final class Chromium implements AutoCloseable {
    static final Path EXECUTABLE = Path.of("/usr/bin/chromium");
    private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");

    private final Playwright playwright;
    private final Browser browser;
    final BrowserErrors errors = new BrowserErrors();
    private final List<BrowserContext> contexts = new ArrayList<>();

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    static Chromium launch() {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException(EXECUTABLE + " is missing: run scripts/install-test-deps.sh (or ./test) as root");
        }
        // why: a slow 2-core machine running other builds; the default of 5 s is too short for it
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(EXECUTABLE).setHeadless(true).setArgs(ARGS).setTimeout(60_000));
            return new Chromium(playwright, browser);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** A new page in its own context (no shared storage), in US English so numbers read the same in every run. */
    Page newPage(int width, int height) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setLocale("en-US").setViewportSize(width, height));
        context.setDefaultTimeout(30_000);
        contexts.add(context);
        Page page = context.newPage();
        errors.watch(page);
        return page;
    }

    Page newPage() {
        return newPage(1280, 900);
    }

    /** Closes every page still open; Playwright hands on what they logged until then to {@link #errors}. */
    void closePages() {
        for (BrowserContext c : contexts) c.close();
        contexts.clear();
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
