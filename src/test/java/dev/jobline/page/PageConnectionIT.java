package dev.jobline.page;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.jobline.Jobline;
import dev.jobline.TestHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the page talks to the server: one watch request at a time, and back after a restart. */
@Timeout(180)
class PageConnectionIT extends BrowserTest {
    @Test
    void thePageSaysItIsReconnectingAndRecoversWhenTheServerRestartsOnTheSamePort() {
        Jobline server = JobsPage.server(0);
        int port = server.port();
        Page tab = chromium.newPage();
        try {
            JobsPage page = JobsPage.open(tab, server.url());
            String before = new TestHttp(server.url()).submitSleep("{\"seconds\":0,\"steps\":1}");
            assertThat(page.row(before)).hasAttribute("data-state", "succeeded");

            // why: the page keeps watching while the server goes: a watch sent while it drains gets 503, then refused, and
            // a listing being answered as the server stops is cut short; the Nodes panel stops asking once the page is not
            // live, but an ask may meet the same
            chromium.errors.allowFailedRequest("/api/jobs", "the server responded with a status of 503 (Service Unavailable)")
                    .allowFailedRequest("/api/jobs", "net::ERR_CONNECTION_REFUSED")
                    .allowFailedRequest("/api/jobs", "net::ERR_INCOMPLETE_CHUNKED_ENCODING")
                    .allowFailedRequest("/api/nodes", "the server responded with a status of 503 (Service Unavailable)")
                    .allowFailedRequest("/api/nodes", "net::ERR_CONNECTION_REFUSED");
            server.close();
            assertThat(page.connection()).containsText("Reconnecting");
            assertThat(page.connection()).hasAttribute("data-state", "reconnecting");
            assertThat(tab.locator("body")).hasAttribute("data-conn", "reconnecting"); // the list dims: it may be stale

            server = JobsPage.server(port);
            String after = new TestHttp(server.url()).submitSleep("{\"seconds\":0.5,\"steps\":5}");
            assertThat(page.row(after)).hasAttribute("data-state", "succeeded");
            assertThat(page.connection()).hasText("Live");
            // why: the memory store forgot the old job; the server answered reset:true and the page replaced its list
            assertThat(page.row(before)).hasCount(0);
            assertThat(page.requests.maxInFlight()).isEqualTo(1);
        } finally {
            tab.context().close();
            server.close();
        }
    }

    @Test
    void theFormsComeAfterTheFirstLoadOfTheTypesFailedWhileTheConnectionStaysLive() {
        try (Jobline server = JobsPage.server(0)) {
            Page tab = chromium.newPage();
            try {
                java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
                chromium.errors.allowFailedRequest("/api/types", "the server responded with a status of 503 (Service Unavailable)");
                tab.route("**/api/types", route -> {
                    if (asked.getAndIncrement() == 0) {
                        route.fulfill(new com.microsoft.playwright.Route.FulfillOptions().setStatus(503)
                                .setContentType("application/problem+json").setBody("{\"title\":\"busy\",\"status\":503}"));
                    } else {
                        route.resume();
                    }
                });
                JobsPage.open(tab, server.url()); // waits for Live, then for the sleep form
                assertThat(asked.get()).isGreaterThanOrEqualTo(2);
            } finally {
                tab.context().close();
            }
        }
    }

    /**
     * Follows 20 running jobs for 10 s and counts every API request the page sends meanwhile; the
     * number goes to target/page-requests-20-jobs-10s.txt. The window is a measurement, so this is
     * the one place that waits a fixed time.
     */
    @Test
    void thePageFollowsTwentyJobsWithOneWatchRequestAtATimeAndNoRequestPerJob() throws Exception {
        try (Jobline server = JobsPage.server(0)) {
            Page tab = chromium.newPage();
            try {
                JobsPage page = JobsPage.open(tab, server.url());
                TestHttp http = new TestHttp(server.url());
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 20; i++) ids.add(http.submitSleep("{\"seconds\":40,\"steps\":400}"));
                for (String id : ids) assertThat(page.row(id)).hasAttribute("data-state", "running");
                String probe = ids.get(0);
                double startPercent = page.progress(probe);

                int totalBefore = page.requests.total();
                int watchesBefore = page.requests.collection();
                int nodesBefore = page.requests.nodes();
                tab.waitForTimeout(10_000);
                int total = page.requests.total() - totalBefore;
                int watches = page.requests.collection() - watchesBefore;
                int nodes = page.requests.nodes() - nodesBefore;

                assertThat(page.progress(probe)).isGreaterThan(startPercent);
                assertThat(page.requests.maxInFlight()).isEqualTo(1);
                assertThat(page.requests.perJobReads()).isEmpty();
                // why: the page follows with one stream opened before the window; nothing else asks the collection
                assertThat(watches).isEqualTo(total - nodes);
                assertThat(page.requests.streams()).isEqualTo(1);
                // why: the Nodes panel asks once every 10 s, so a 10 s window holds one or two of its asks
                assertThat(nodes).isLessThanOrEqualTo(2);
                String report = "The page sent " + total + " API requests (" + watches + " of them collection watches, "
                        + nodes + " for the Nodes panel, none per job) while following 20 running jobs for 10 s\n";
                Files.createDirectories(Path.of("target"));
                Files.writeString(Path.of("target", "page-requests-20-jobs-10s.txt"), report);
                System.out.print(report);
                for (String id : ids) http.post("/api/jobs/" + id + "/cancel", "");
            } finally {
                tab.context().close();
            }
        }
    }
}
