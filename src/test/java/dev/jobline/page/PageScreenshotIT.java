package dev.jobline.page;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import dev.jobline.Jobline;
import dev.jobline.TestHttp;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jobs in every state on one page, saved as build artifacts for people to look at:
 * target/page-screenshot.png (desktop, light) and target/page-screenshot-phone-dark.png.
 */
@Timeout(180)
class PageScreenshotIT extends BrowserTest {

    @Test
    void aPageWithJobsInMixedStatesIsSavedAsScreenshots() {
        // why: two running at most, so the jobs after them wait in the queue
        try (Jobline server = JobsPage.server(0, "--max-running", "2")) {
            TestHttp http = new TestHttp(server.url());
            Page tab = chromium.newPage(1280, 1000);
            JobsPage page = JobsPage.open(tab, server.url());

            String ok = page.start("sleep", Map.of("seconds", "0.5", "steps", "5"));
            String failed = http.submitSleep("{\"seconds\":1,\"steps\":20,\"failAt\":35}");
            assertThat(page.row(ok)).hasAttribute("data-state", "succeeded");
            assertThat(page.row(failed)).hasAttribute("data-state", "failed");
            String slow = http.submitSleep("{\"seconds\":120,\"steps\":1200}");
            String fast = http.submitSleep("{\"seconds\":20,\"steps\":200}");
            String queued = http.submitSleep("{\"seconds\":30}");
            String cancelled = page.start("sleep", Map.of("seconds", "30"));
            page.row(cancelled).getByText("Cancel").click();
            assertThat(page.row(cancelled)).hasAttribute("data-state", "cancelled");
            assertThat(page.row(queued)).hasAttribute("data-state", "queued");
            page.waitForProgressBetween(fast, 15, 100);
            page.waitForProgressBetween(slow, 1, 100);
            page.row(ok).locator(".job-result summary").click();
            assertThat(page.row(slow).locator(".eta")).containsText("left");

            tab.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "page-screenshot.png")).setFullPage(true));
            Page phone = chromium.newPage(390, 844);
            phone.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
            JobsPage.open(phone, server.url());
            assertThat(phone.locator("li.job")).hasCount(6);
            // on a phone the forms start folded so that the jobs are on the first screen
            assertThat(phone.locator("form[data-type=sleep] [name=seconds]")).isHidden();
            phone.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "page-screenshot-phone-dark.png")).setFullPage(true));
            for (String id : new String[] {slow, fast, queued}) http.post("/api/jobs/" + id + "/cancel", "");
            chromium.closePages(); // why: before the server stops, which the pages would report as failed requests
        }
    }
}
