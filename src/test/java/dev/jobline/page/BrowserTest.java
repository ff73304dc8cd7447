package dev.jobline.page;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * A browser test class: one Chromium for all its tests, each of which opens its own page. A test
 * fails if its pages logged a console error, threw, or broke the Content-Security-Policy, unless
 * it allowed that very error ({@link BrowserErrors#allowFailedRequest}).
 */
abstract class BrowserTest {
    static Chromium chromium;

    @BeforeAll
    static void launchChromium() {
        chromium = Chromium.launch();
    }

    @AfterEach
    void failOnBrowserErrors() {
        try {
            chromium.closePages();
            chromium.errors.assertNone();
        } finally {
            chromium.errors.reset();
        }
    }

    @AfterAll
    static void closeChromium() {
        if (chromium != null) chromium.close();
        chromium = null;
    }
}
