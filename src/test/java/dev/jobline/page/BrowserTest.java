package dev.jobline.page;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A browser test class: one Chromium for all its tests, each of which opens its own page. */
abstract class BrowserTest {
    static Chromium chromium;

    @BeforeAll
    static void launchChromium() {
        chromium = Chromium.launch();
    }

    @AfterAll
    static void closeChromium() {
        if (chromium != null) chromium.close();
        chromium = null;
    }
}
