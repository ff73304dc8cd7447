package dev.jobline.page;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.jobline.Jobline;
import dev.jobline.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A delayed job's card says when it starts; a retried job's card shows its attempt count and the earlier errors. */
@Timeout(120)
class PageFlowIT extends BrowserTest {

    @Test
    void aDelayedJobSaysWhenItStartsAndARetriedOneShowsItsEarlierErrors() {
        try (Jobline server = JobsPage.server(0)) {
            TestHttp http = new TestHttp(server.url());
            Page tab = chromium.newPage();
            try {
                JobsPage page = JobsPage.open(tab, server.url());
                String later = http.post("/api/jobs", "{\"type\": \"sleep\", \"delay\": \"10m\"}").json().get("id").asText();
                Locator delayed = page.row(later);
                assertThat(delayed).hasAttribute("data-state", "queued");
                assertThat(delayed.locator(".job-message")).hasText("Starts in 10 minutes");
                assertThat(delayed.locator(".job-attempts")).isHidden();

                String flaky = http.post("/api/jobs", "{\"type\": \"sleep\", \"params\": {\"seconds\": 0.1, \"failAt\": 50},"
                        + " \"retry\": {\"maxAttempts\": 3, \"backoff\": \"1h\"}}").json().get("id").asText();
                Locator retried = page.row(flaky);
                assertThat(retried.locator(".job-attempts summary")).hasText("Next: attempt 2 of 3 · 1 earlier error");
                assertThat(retried).hasAttribute("data-state", "queued");
                assertThat(retried.locator(".job-message")).containsText("Next attempt ");
                retried.locator(".job-attempts summary").click();
                assertThat(retried.locator(".job-attempts li")).containsText("50");
            } finally {
                tab.context().close();
            }
        }
    }
}
