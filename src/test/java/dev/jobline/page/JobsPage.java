package dev.jobline.page;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import dev.jobline.Config;
import dev.jobline.Jobline;
import dev.jobline.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The page as a test sees it: open on a server, start jobs through its forms, find each job's row. */
final class JobsPage {
    final Page page;
    final ApiRequests requests;

    JobsPage(Page page, ApiRequests requests) {
        this.page = page;
        this.requests = requests;
    }

    /** A real server in this process on {@code port} (0 for any), memory store, a short grace so closing is quick. */
    static Jobline server(int port, String... extra) {
        return server(Map.of(), port, extra);
    }

    /** The same, with environment variables for its options (JOBLINE_TOKENS, ...). */
    static Jobline server(Map<String, String> env, int port, String... extra) {
        List<String> args = new ArrayList<>(List.of("--port", String.valueOf(port), "--store", "memory", "--grace", "1s"));
        args.addAll(List.of(extra));
        return Jobline.start(Config.parse(args.toArray(String[]::new), env));
    }

    /** Opens the page and waits until it follows the server. */
    static JobsPage open(Page page, String url) {
        ApiRequests requests = ApiRequests.of(page);
        page.navigate(url + "/");
        JobsPage p = new JobsPage(page, requests);
        assertThat(p.connection()).hasText("Live");
        p.form("sleep").waitFor(); // why: not assertThat(...).isVisible(): see waitForRow
        return p;
    }

    /**
     * Waits until the job's row is in the list. Call it before asserting on a row that may not be
     * there yet on a big page: while Playwright's assertThat finds no element, it takes an aria
     * snapshot of the whole body after every try (for its failure message), and on a page of 1,000
     * rows those snapshots keep Chromium's main thread so busy that the page's own network events
     * (the stream's, the long-poll's, a fetch's) wait behind them: the row comes only once the
     * assertion gave up. waitFor polls with a plain query and takes no snapshot.
     */
    void waitForRow(String id) {
        row(id).waitFor(new Locator.WaitForOptions().setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
    }

    Locator connection() {
        return page.locator("#conn");
    }

    Locator form(String type) {
        return page.locator("form[data-type='" + type + "']");
    }

    Locator row(String id) {
        return page.locator("li.job[data-id='" + id + "']");
    }

    /** The Nodes panel: for admins (anyone without tokens), hidden from a user's token. */
    Locator nodes() {
        return page.locator("#nodes");
    }

    /** The Nodes panel's row of one node. */
    Locator node(String id) {
        return nodes().locator("tr[data-node='" + id + "']");
    }

    /** Fills the type's form (field name to text), presses Start, and returns the id the server gave the job. */
    String start(String type, Map<String, String> fields) {
        Response answer = submit(type, fields);
        if (answer.status() != 202) throw new AssertionError("submit answered " + answer.status() + ": " + answer.text());
        return json(answer.text()).get("id").asText();
    }

    Response submit(String type, Map<String, String> fields) {
        Locator form = form(type);
        fields.forEach((name, value) -> form.locator("[name='" + name + "']").fill(value));
        return page.waitForResponse(r -> r.url().endsWith("/api/jobs") && r.request().method().equals("POST"),
                () -> form.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                        new Locator.GetByRoleOptions().setName("Start a " + type + " job")).click());
    }

    /** Waits until the job's bar shows a value strictly between {@code low} and {@code high}. */
    void waitForProgressBetween(String id, double low, double high) {
        page.waitForFunction("([id, low, high]) => {"
                + " const p = document.querySelector(`li.job[data-id=\"${id}\"] progress`);"
                + " return p !== null && p.value > low && p.value < high; }", List.of(id, low, high));
    }

    double progress(String id) {
        return ((Number) row(id).locator("progress").evaluate("p => p.value")).doubleValue();
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
