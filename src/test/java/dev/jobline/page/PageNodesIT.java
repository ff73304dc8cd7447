package dev.jobline.page;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import dev.jobline.Jobline;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which node runs a job, on its card, and the Nodes panel: shown to admins (and to all without tokens), not to users. */
@Timeout(120)
class PageNodesIT extends BrowserTest {
    private static final String NODE = "test-node-1";
    private static final String TOKENS = "alice user secret-of-alice\nroot admin secret-of-root";

    @Test
    void aRunningJobsCardSaysWhichNodeRunsItAndTheNodesPanelListsThatNodeWithItsRunningCount() {
        // why: a lease of 3 s beats every second, so the node's running count is soon current
        try (Jobline server = JobsPage.server(0, "--node-id", NODE, "--lease", "3s")) {
            Page tab = chromium.newPage();
            try {
                JobsPage page = JobsPage.open(tab, server.url());
                assertThat(page.nodes().getByRole(AriaRole.HEADING, new Locator.GetByRoleOptions().setName("Nodes"))).isVisible();
                Locator table = page.nodes().getByRole(AriaRole.TABLE, new Locator.GetByRoleOptions().setName("Nodes"));
                for (String column : new String[] {"Node", "Running", "Draining", "Last heartbeat", "Started"}) {
                    assertThat(table.getByRole(AriaRole.COLUMNHEADER, new Locator.GetByRoleOptions().setName(column))).isVisible();
                }
                Locator node = page.node(NODE);
                assertThat(node.locator(".node-id")).hasText(NODE);
                assertThat(node.locator(".node-draining")).hasText("no");
                assertThat(node.locator(".node-beat")).containsText("ago");

                String id = page.start("sleep", Map.of("seconds", "60", "steps", "600"));
                Locator row = page.row(id);
                assertThat(row).hasAttribute("data-state", "running");
                assertThat(row.locator(".job-node")).hasText("on " + NODE);
                assertThat(node.locator(".node-running")).hasText("1"); // by the next ask, within about 10 s

                row.getByText("Cancel").click();
                assertThat(row).hasAttribute("data-state", "cancelled");
                assertThat(row.locator(".job-node")).isHidden();
                assertThat(node.locator(".node-running")).hasText("0");
            } finally {
                tab.context().close();
            }
        }
    }

    @Test
    void onAPhoneTheNodesPanelFitsTheScreenWithoutScrollingSideways() {
        try (Jobline server = JobsPage.server(0, "--node-id", "myhost-3fa2c1")) {
            Page phone = chromium.newPage(390, 844);
            try {
                JobsPage page = JobsPage.open(phone, server.url());
                assertThat(page.node("myhost-3fa2c1")).isVisible();
                Object widths = phone.evaluate("() => { const s = document.querySelector('#nodes .node-scroll');"
                        + " return [document.documentElement.scrollWidth, s.scrollWidth - s.clientWidth]; }");
                org.assertj.core.api.Assertions.assertThat(widths).as("page width, table overflow").isEqualTo(java.util.List.of(390, 0));
            } finally {
                phone.context().close();
            }
        }
    }

    @Test
    void withTokensAUsersTokenHidesTheNodesPanelAndAnAdminsShowsIt() {
        try (Jobline server = JobsPage.server(Map.of("JOBLINE_TOKENS", TOKENS), 0, "--node-id", NODE)) {
            // why: Chromium logs a fetch() answered 4xx as a failed resource, though the page expects both answers
            chromium.errors.allowFailedRequest("/api/jobs", "the server responded with a status of 401 (Unauthorized)")
                    .allowFailedRequest("/api/nodes", "the server responded with a status of 403 (Forbidden)");
            try {
                JobsPage user = signIn(server, "secret-of-alice", 403);
                assertThat(user.nodes()).isHidden();
                assertThat(user.page.locator("#jobs-h")).isVisible();

                JobsPage admin = signIn(server, "secret-of-root", 200);
                assertThat(admin.nodes()).isVisible();
                assertThat(admin.node(NODE).locator(".node-running")).hasText("0");
            } finally {
                chromium.closePages(); // why: before the server stops, which the pages would report as failed requests
            }
        }
    }

    /** Opens the page in a new tab, gives it the token, and waits for its first answer from GET /api/nodes. */
    private JobsPage signIn(Jobline server, String token, int nodesStatus) {
        Page tab = chromium.newPage();
        tab.navigate(server.url() + "/");
        JobsPage page = new JobsPage(tab, ApiRequests.of(tab));
        assertThat(page.connection()).hasText("Needs a token");
        tab.locator("#token").fill(token);
        Response nodes = tab.waitForResponse(r -> URI.create(r.url()).getPath().equals("/api/nodes"),
                () -> tab.locator("#token").press("Enter"));
        org.assertj.core.api.Assertions.assertThat(nodes.status()).isEqualTo(nodesStatus);
        assertThat(page.connection()).hasText("Live");
        return page;
    }
}
