package dev.jobline.page;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import dev.jobline.TestHttp;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The page in headless Chromium against a real server: each test follows the job it started. */
@Timeout(120)
class PageJobsIT extends OneServerPageTest {
    @Test
    void aJobStartedFromTheFormShowsItsBarAdvanceAndEndsSucceededWithItsResult() {
        String id = page.start("sleep", Map.of("seconds", "4", "steps", "40"));
        var row = page.row(id);
        assertThat(row.locator(".job-type")).hasText("sleep");
        assertThat(row.locator(".job-id")).hasText(id.substring(0, 8));
        page.waitForProgressBetween(id, 0, 100);
        assertThat(row.locator(".job-message")).containsText("of 40");
        assertThat(row).hasAttribute("data-state", "succeeded");
        assertThat(row.locator(".badge")).hasText("Succeeded");
        assertThat(page.progress(id)).isEqualTo(100.0);
        assertThat(row.locator(".pct")).hasText("100%");
        assertThat(row.locator(".elapsed")).containsText("took");
        assertThat(row.getByRole(AriaRole.PROGRESSBAR)).isVisible();
        row.locator(".job-result summary").click();
        assertThat(row.locator(".job-result pre")).containsText("\"slept\": 4");
        assertThat(row.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Delete")))
                .isVisible();
    }

    @Test
    void aFailingJobShowsItsError() {
        String id = page.start("sleep", Map.of("seconds", "1", "steps", "10", "failAt", "50"));
        var row = page.row(id);
        assertThat(row).hasAttribute("data-state", "failed");
        assertThat(row.locator(".badge")).hasText("Failed");
        assertThat(row.locator(".job-error")).containsText("failed at 50");
        assertThat(row.locator(".pct")).hasText("50%");
    }

    @Test
    void cancelStopsARunningJobAndDeleteThenRemovesIt() {
        String id = page.start("sleep", Map.of("seconds", "60", "steps", "600"));
        var row = page.row(id);
        assertThat(row).hasAttribute("data-state", "running");
        row.getByText("Cancel").click();
        assertThat(row).hasAttribute("data-state", "cancelled");
        assertThat(row.locator(".badge")).hasText("Cancelled");
        assertThat(row.getByText("Cancel", new com.microsoft.playwright.Locator.GetByTextOptions().setExact(true))).isHidden();
        row.getByText("Delete").click();
        assertThat(row).hasCount(0);
        assertThat(new TestHttp(server.url()).get("/api/jobs/" + id).status()).isEqualTo(404);
    }

    @Test
    void aJobSubmittedOverHttpByAnotherClientAppearsWithoutReload() {
        String id = new TestHttp(server.url()).submitSleep("{\"seconds\":1,\"steps\":5}");
        assertThat(page.row(id)).hasAttribute("data-state", "succeeded");
        assertThat(page.row(id).locator(".pct")).hasText("100%");
        assertThat(page.requests.perJobReads()).isEmpty();
    }

    @Test
    void paramsTheServerRefusesShowItsMessageNextToTheField() {
        chromium.errors.allowFailedRequest("/api/jobs", "the server responded with a status of 422 (Unprocessable Entity)");
        Response answer = page.submit("sleep", Map.of("seconds", "100000"));
        assertThat(answer.status()).isEqualTo(422);
        var seconds = page.form("sleep").locator("[name=seconds]");
        assertThat(seconds).hasAttribute("aria-invalid", "true");
        assertThat(page.form("sleep").locator(".field-error").first()).containsText("params.seconds must be");
        assertThat(seconds).isFocused();
    }

    @Test
    void filtersShowOnlyJobsInTheChosenState() {
        String done = page.start("sleep", Map.of("seconds", "0", "steps", "1"));
        String running = page.start("sleep", Map.of("seconds", "60", "steps", "60"));
        assertThat(page.row(done)).hasAttribute("data-state", "succeeded");
        assertThat(page.row(running)).hasAttribute("data-state", "running");
        tab.locator("#filters button[data-filter=active]").click();
        assertThat(page.row(done)).isHidden();
        assertThat(page.row(running)).isVisible();
        tab.locator("#filters button[data-filter=succeeded]").click();
        assertThat(page.row(done)).isVisible();
        assertThat(page.row(running)).isHidden();
        new TestHttp(server.url()).post("/api/jobs/" + running + "/cancel", "");
    }
}
