package dev.jobline.page;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import dev.jobline.Jobline;
import dev.jobline.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The page follows the collection with one EventSource where it can, and falls back to the
 * long-poll watch when the stream fails or the browser has none, showing the same list either way.
 */
@Timeout(180)
class PageStreamIT extends BrowserTest {

    /** Runs a job and deletes an older one; the page shows both as they happen. */
    private static void followsAJobAndADeletion(JobsPage page, TestHttp http, String older) {
        String id = http.submitSleep("{\"seconds\":1,\"steps\":10}");
        assertThat(page.row(id)).hasAttribute("data-state", "running");
        assertThat(page.row(id)).hasAttribute("data-state", "succeeded");
        assertThat(http.delete("/api/jobs/" + older).status()).isEqualTo(204);
        assertThat(page.row(older)).hasCount(0);
        assertThat(page.connection()).hasText("Live");
        assertThat(page.requests.perJobReads()).isEmpty();
        showsTheServersList(page, http);
    }

    /** The rows, id and state in order, are the server's listing: what the user sees does not depend on the path. */
    private static void showsTheServersList(JobsPage page, TestHttp http) {
        java.util.List<String> server = new java.util.ArrayList<>();
        http.get("/api/jobs").json().get("jobs").forEach(j -> server.add(j.get("id").asText() + " " + j.get("state").asText()));
        assertThat(page.page.locator("li.job")).hasCount(server.size());
        Object shown = page.page.evaluate("() => [...document.querySelectorAll('li.job')].map(li => li.dataset.id + ' ' + li.dataset.state)");
        assertThat(shown).isEqualTo(server);
    }

    private static String finishedJob(TestHttp http) {
        String id = http.submitSleep("{\"seconds\":0,\"steps\":1}");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> http.get("/api/jobs/" + id).json().get("state").asText().equals("succeeded"));
        return id;
    }

    @Test
    void thePageFollowsTheCollectionWithOneEventSourceAndNoLongPoll() {
        try (Jobline server = JobsPage.server(0)) {
            TestHttp http = new TestHttp(server.url());
            String older = finishedJob(http);
            Page tab = chromium.newPage();
            try {
                JobsPage page = JobsPage.open(tab, server.url());
                assertThat(page.row(older)).hasAttribute("data-state", "succeeded");
                followsAJobAndADeletion(page, http, older);
                assertThat(page.requests.streams()).isEqualTo(1);
                assertThat(page.requests.longPolls()).isZero();
            } finally {
                tab.context().close();
            }
        }
    }

    @Test
    void whenTheStreamFailsAsBehindAProxyThatBuffersItThePageLongPollsAndShowsTheSame() {
        try (Jobline server = JobsPage.server(0)) {
            TestHttp http = new TestHttp(server.url());
            String older = finishedJob(http);
            Page tab = chromium.newPage();
            try {
                // why: a stream whose events never reach the page: it ends with none, as a buffering proxy would show it
                tab.route("**/api/jobs?*", route -> {
                    if (route.request().resourceType().equals("eventsource")) {
                        route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType("text/event-stream").setBody(""));
                    } else {
                        route.resume();
                    }
                });
                JobsPage page = JobsPage.open(tab, server.url());
                assertThat(page.row(older)).hasAttribute("data-state", "succeeded");
                followsAJobAndADeletion(page, http, older);
                assertThat(page.requests.streams()).as("tried, then given up for the long-poll").isPositive();
                int streams = page.requests.streams();
                assertThat(page.requests.longPolls()).isPositive();
                String later = http.submitSleep("{\"seconds\":0,\"steps\":1}");
                assertThat(page.row(later)).hasAttribute("data-state", "succeeded");
                assertThat(page.requests.streams()).as("no new stream once the long-poll follows").isEqualTo(streams);
            } finally {
                tab.context().close();
            }
        }
    }

    @Test
    void aBrowserWithoutEventSourceLongPolls() {
        try (Jobline server = JobsPage.server(0)) {
            TestHttp http = new TestHttp(server.url());
            String older = finishedJob(http);
            Page tab = chromium.newPage();
            try {
                tab.addInitScript("delete window.EventSource;");
                JobsPage page = JobsPage.open(tab, server.url());
                followsAJobAndADeletion(page, http, older);
                assertThat(page.requests.streams()).isZero();
                assertThat(page.requests.longPolls()).isPositive();
            } finally {
                tab.context().close();
            }
        }
    }
}
