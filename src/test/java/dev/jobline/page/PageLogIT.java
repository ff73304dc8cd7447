package dev.jobline.page;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.TestHttp;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A job's Log on its card: live while open, with one log long-poll for the open card only, closed with it. */
@Timeout(120)
class PageLogIT extends OneServerPageTest {
    @Test
    void anOpenLogShowsTheLinesOfARunningJobAsTheyComeAndNoLogIsReadWhileClosed() {
        String id = page.start("sleep", Map.of("seconds", "3", "steps", "30"));
        var row = page.row(id);
        assertThat(row).hasAttribute("data-state", "running");
        assertThat(page.requests.logReads()).as("no log is read while every card's Log is closed").isEmpty();
        row.locator(".job-log summary").click();
        assertThat(row.locator(".log-lines .log-line").first()).hasText("sleeping 3 s in 30 steps");
        assertThat(row).hasAttribute("data-state", "succeeded");
        assertThat(row.locator(".log-lines .log-line").nth(1)).hasText("slept 3 s");
        assertThat(row.locator(".log-lines .log-line")).hasCount(2);
        assertThat(page.requests.maxLogsInFlight()).isEqualTo(1);
        assertThat(page.requests.perJobReads()).isEmpty();
    }

    @Test
    void openingAnotherCardsLogClosesTheFirstAndClosingItEndsItsLongPoll() {
        String first = new TestHttp(server.url()).submitSleep("{\"seconds\":60,\"steps\":60}");
        String second = new TestHttp(server.url()).submitSleep("{\"seconds\":60,\"steps\":60}");
        assertThat(page.row(first)).hasAttribute("data-state", "running");
        assertThat(page.row(second)).hasAttribute("data-state", "running");
        page.row(first).locator(".job-log summary").click();
        assertThat(page.row(first).locator(".log-line").first()).hasText("sleeping 60 s in 60 steps");
        page.row(second).locator(".job-log summary").click();
        assertThat(page.row(second).locator(".log-line").first()).hasText("sleeping 60 s in 60 steps");
        assertThat(page.row(first).locator(".job-log")).not().hasAttribute("open", "");
        page.requests.awaitLogsInFlight(1);
        page.row(second).locator(".job-log summary").click();
        page.requests.awaitLogsInFlight(0);
        assertThat(page.requests.maxLogsInFlight()).as("one log long-poll at a time").isEqualTo(1);
        int asked = page.requests.logReads().size();
        new TestHttp(server.url()).post("/api/jobs/" + second + "/cancel", "");
        new TestHttp(server.url()).post("/api/jobs/" + first + "/cancel", "");
        assertThat(page.row(second)).hasAttribute("data-state", "cancelled");
        assertThat(page.row(first)).hasAttribute("data-state", "cancelled");
        assertThat(page.requests.logReads()).as("the jobs' ends ask nothing once their Logs are closed").hasSize(asked);
    }
}
