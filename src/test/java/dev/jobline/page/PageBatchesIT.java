package dev.jobline.page;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import dev.jobline.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The page shows what a job waits for, and a batch as its parent's card with its jobs folded under it. */
@Timeout(120)
class PageBatchesIT extends OneServerPageTest {
    @Test
    void aWaitingJobShowsWhatItWaitsForUntilItStarts() {
        TestHttp http = new TestHttp(server.url());
        String a = http.submitSleep("{\"seconds\":3,\"steps\":3}");
        String b = http.post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":0.5,\"steps\":1},\"after\":[\"" + a + "\"]}")
                .json().get("id").asText();
        Locator row = page.row(b);
        assertThat(row).hasAttribute("data-state", "queued");
        assertThat(row.locator(".job-waiting")).isVisible();
        assertThat(row.locator(".job-waiting")).hasText("Waiting for job " + a.substring(0, 8));
        assertThat(row).hasAttribute("data-state", "succeeded", new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions().setTimeout(20_000));
        assertThat(row.locator(".job-waiting")).isHidden();
    }

    @Test
    void aBatchIsOneCardWithItsJobsFoldedUnderIt() {
        TestHttp http = new TestHttp(server.url());
        var answer = http.post("/api/batches", "{\"jobs\":[{\"type\":\"sleep\",\"params\":{\"seconds\":1,\"steps\":2}},"
                + "{\"type\":\"sleep\",\"params\":{\"seconds\":1.5,\"steps\":3}},{\"type\":\"sleep\",\"params\":{\"seconds\":2,\"steps\":4}}]}");
        String id = answer.json().get("id").asText();
        Locator parent = page.row(id);
        assertThat(parent.locator(":scope > .job-head .job-type")).hasText("batch");
        Locator fold = parent.locator(":scope > .job-children");
        assertThat(fold.locator(":scope > summary")).hasText("Jobs of this batch (3)");
        assertThat(fold.locator(".child-jobs > li.job")).hasCount(3);
        assertThat(fold.locator(":scope > .child-jobs")).isHidden(); // why: folded until opened
        for (var child : http.get("/api/jobs?parent=" + id).json().get("jobs")) {
            String cid = child.get("id").asText();
            assertThat(tab.locator("#jobs > li.job[data-id='" + cid + "']")).hasCount(0);
            assertThat(fold.locator("li.job[data-id='" + cid + "']")).hasCount(1);
        }
        fold.locator(":scope > summary").click();
        assertThat(fold.locator(":scope > .child-jobs")).isVisible();
        assertThat(parent).hasAttribute("data-state", "succeeded", new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions().setTimeout(20_000));
        assertThat(parent.locator(":scope > .job-message")).hasText("3 of 3 ended");
        assertThat(parent.locator(":scope > .job-bar .pct")).hasText("100%");
        for (Locator child : fold.locator(".child-jobs > li.job").all()) assertThat(child).hasAttribute("data-state", "succeeded");
    }
}
