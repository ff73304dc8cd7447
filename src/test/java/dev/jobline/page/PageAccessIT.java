package dev.jobline.page;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.jobline.Jobline;
import dev.jobline.TestHttp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Using the page by keyboard alone, copying an id, and a server that asks for a token. */
@Timeout(120)
class PageAccessIT extends BrowserTest {
    @Test
    void aJobCanBeStartedCopiedAndCancelledWithTheKeyboard() {
        try (Jobline server = JobsPage.server(0)) {
            Page tab = chromium.newPage();
            BrowserContext context = tab.context();
            context.grantPermissions(List.of("clipboard-read", "clipboard-write"));
            try {
                JobsPage page = JobsPage.open(tab, server.url());
                var seconds = page.form("sleep").locator("[name=seconds]");
                seconds.focus();
                tab.keyboard().press("ControlOrMeta+A");
                tab.keyboard().type("60");
                var answer = tab.waitForResponse(r -> r.url().endsWith("/api/jobs") && r.request().method().equals("POST"),
                        () -> tab.keyboard().press("Enter"));
                String id = JobsPage.json(answer.text()).get("id").asText();
                var row = page.row(id);
                assertThat(row).hasAttribute("data-state", "running");

                row.locator(".job-id").focus();
                tab.keyboard().press("Enter");
                assertThat(row.locator(".action-note")).hasText("Id copied");
                assertThat(tab.evaluate("() => navigator.clipboard.readText()")).isEqualTo(id);

                tab.keyboard().press("Tab"); // the card's Log comes next, then its actions
                assertThat(row.locator(".job-log summary")).isFocused();
                tab.keyboard().press("Tab");
                assertThat(row.locator("button.cancel")).isFocused();
                tab.keyboard().press("Enter");
                assertThat(row).hasAttribute("data-state", "cancelled");
            } finally {
                context.close();
            }
        }
    }

    @Test
    void aServerWithTokensGetsOneFromTheUserAndThenWorksAsUsual() {
        try (Jobline server = JobsPage.server(Map.of("JOBLINE_TOKENS", "alice user secret-of-alice"), 0)) {
            Page tab = chromium.newPage();
            // why: asked before the token, then the Nodes panel's ask, which a user's token may not make (it hides the panel)
            chromium.errors.allowFailedRequest("/api/jobs", "the server responded with a status of 401 (Unauthorized)")
                    .allowFailedRequest("/api/nodes", "the server responded with a status of 403 (Forbidden)");
            try {
                tab.navigate(server.url() + "/");
                JobsPage page = new JobsPage(tab, ApiRequests.of(tab));
                assertThat(page.connection()).hasText("Needs a token");
                tab.locator("#token").fill("secret-of-alice");
                tab.locator("#token").press("Enter");
                assertThat(page.connection()).hasText("Live");
                assertThat(tab.locator("#token-form")).isHidden();
                String id = page.start("sleep", Map.of("seconds", "0.5", "steps", "5"));
                assertThat(page.row(id)).hasAttribute("data-state", "succeeded");
                String other = new TestHttp(server.url()).send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(server.url() + "/api/jobs"))
                        .header("Authorization", "Bearer secret-of-alice")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\":\"sleep\",\"params\":{\"seconds\":0}}")))
                        .json().get("id").asText();
                assertThat(page.row(other)).hasAttribute("data-state", "succeeded");
            } finally {
                tab.context().close();
            }
        }
    }
}
