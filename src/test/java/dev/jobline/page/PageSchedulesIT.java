package dev.jobline.page;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.jobline.Jobline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Schedules panel: each recurring job with its next run, counting down, and its last run once one started. */
@Timeout(120)
class PageSchedulesIT extends BrowserTest {
    @TempDir
    Path dir;

    @Test
    void theSchedulesPanelListsEachScheduleWithItsNextRunAndItsLastRunOnceOneStarted() throws Exception {
        Path file = dir.resolve("schedules.json");
        Files.writeString(file, """
                {"schedules": [
                  {"name": "nightly", "cron": "0 3 * * *", "timezone": "Europe/Berlin", "type": "sleep", "params": {"seconds": 1}},
                  {"name": "tick", "cron": "@every 3s", "type": "sleep", "params": {"seconds": 0}, "overlap": "allow"}]}
                """);
        try (Jobline server = JobsPage.server(0, "--schedules", file.toString())) {
            Page tab = chromium.newPage();
            try {
                JobsPage page = JobsPage.open(tab, server.url());
                Locator panel = tab.locator("#schedules");
                assertThat(panel.getByRole(AriaRole.HEADING, new Locator.GetByRoleOptions().setName("Schedules"))).isVisible();
                Locator table = panel.getByRole(AriaRole.TABLE, new Locator.GetByRoleOptions().setName("Schedules"));
                for (String column : new String[] {"Schedule", "When", "Type", "Next run", "Last run"}) {
                    assertThat(table.getByRole(AriaRole.COLUMNHEADER, new Locator.GetByRoleOptions().setName(column))).isVisible();
                }
                Locator nightly = panel.locator("tr[data-schedule='nightly']");
                assertThat(nightly.locator(".schedule-cron")).hasText("0 3 * * * Europe/Berlin");
                assertThat(nightly.locator(".schedule-type")).hasText("sleep");
                assertThat(nightly.locator(".schedule-next time")).hasText(Pattern.compile("^in \\d+ (hours?|minutes?)$"));
                assertThat(nightly.locator(".schedule-last")).hasText("not yet");

                Locator tick = panel.locator("tr[data-schedule='tick']");
                assertThat(tick.locator(".schedule-next time")).hasText(Pattern.compile("^in \\d seconds?$"));
                // the next ask after the tick shows its run, whose job is in the list too
                assertThat(tick.locator(".schedule-job")).hasText(Pattern.compile("^[0-9a-f]{8}$"),
                        new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(20_000));
                String shortId = tick.locator(".schedule-job").textContent();
                assertThat(tab.locator("#jobs li[data-id^='" + shortId + "']").first()).isVisible();
            } finally {
                tab.context().close();
            }
        }
    }

    @Test
    void withoutSchedulesThePanelStaysHidden() {
        try (Jobline server = JobsPage.server(0)) {
            Page tab = chromium.newPage();
            try {
                JobsPage page = JobsPage.open(tab, server.url());
                assertThat(page.nodes()).isVisible(); // asked for at the same time as the schedules
                assertThat(tab.locator("#schedules")).isHidden();
            } finally {
                tab.context().close();
            }
        }
    }
}
