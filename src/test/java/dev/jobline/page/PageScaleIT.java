package dev.jobline.page;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import dev.jobline.Jobline;
import dev.jobline.TestHttp;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A thousand jobs listed: the page shows them all and writes only to the rows that change. */
@Timeout(180)
class PageScaleIT extends BrowserTest {

    @Test
    void withAThousandJobsListedAChangeTouchesOnlyItsOwnRow() throws Exception {
        try (Jobline server = JobsPage.server(0)) {
            JsonNode quick = JobsPage.json("{\"seconds\":0,\"steps\":1}");
            for (int i = 0; i < 1000; i++) server.engine().submit("sleep", quick, null);
            TestHttp http = new TestHttp(server.url());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() ->
                    http.get("/api/jobs?state=succeeded&limit=1000").json().get("jobs").size() == 1000);

            Page tab = chromium.newPage();
            try {
                long opened = System.nanoTime();
                JobsPage page = JobsPage.open(tab, server.url());
                assertThat(tab.locator("li.job")).hasCount(1000);
                assertThat(tab.locator("#filters button[data-filter=all] .count")).hasText("1,000");
                System.out.printf("page showed 1,000 jobs %d ms after it was opened%n", (System.nanoTime() - opened) / 1_000_000);

                tab.evaluate("() => { window.touchedRows = new Set();"
                        + " new MutationObserver(ms => { for (const m of ms) {"
                        + "   const li = (m.target.nodeType === 1 ? m.target : m.target.parentElement).closest('li.job');"
                        + "   window.touchedRows.add(li ? li.dataset.id : 'list'); } })"
                        + " .observe(document.getElementById('jobs'), {subtree: true, childList: true, characterData: true, attributes: true}); }");
                // why: waitForRow, not assertThat alone: an aria snapshot of this page (what assertThat takes while
                // the row is missing) took 29 s here and held back the page's own events (JobsPage.waitForRow)
                String id = http.submitSleep("{\"seconds\":3,\"steps\":30}");
                page.waitForRow(id);
                assertThat(page.row(id)).hasAttribute("data-state", "succeeded");
                @SuppressWarnings("unchecked")
                List<String> touched = (List<String>) tab.evaluate("() => [...window.touchedRows]");
                // 'list' is the new row's insertion into the list itself
                assertThat(touched).containsExactlyInAnyOrder(id, "list");
                assertThat(page.requests.perJobReads()).isEmpty();
                assertThat(page.requests.streams()).as("followed by the one stream").isEqualTo(1);
                assertThat(page.requests.longPolls()).isZero();
            } finally {
                tab.context().close();
            }
        }
    }
}
