package dev.jobline.page;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts what a page asks of the API, from Playwright's network events: watch requests on the
 * collection, how many were in flight at once, the Nodes panel's asks, and any request for a single job.
 * Log long-polls open at once are counted in the page itself (a wrapper of its fetch, installed
 * before the page loads): Playwright may report an aborted request's end after the next request's
 * start, so its events would show two where the page never had more than one.
 */
final class ApiRequests {
    private int total;
    private int collection;
    private int streams;
    private int longPolls;
    private int nodes;
    private int inFlight;
    private int maxInFlight;
    private final List<String> perJobReads = new ArrayList<>();
    private final List<String> logReads = new ArrayList<>();
    private final Page page;

    /** Counts a log long-poll from its fetch call until its answer or its abort, whichever comes first. */
    private static final String COUNT_LOG_FETCHES = """
            (() => {
              const counts = { now: 0, max: 0 };
              Object.defineProperty(window, '__joblineLogFetches', { value: counts });
              const original = window.fetch;
              window.fetch = function (resource, options) {
                const url = resource instanceof Request ? resource.url : String(resource);
                if (!/^\\/api\\/jobs\\/[^/]+\\/log$/.test(new URL(url, location.href).pathname)) return original.apply(this, arguments);
                counts.now += 1;
                counts.max = Math.max(counts.max, counts.now);
                let open = true;
                const end = () => { if (open) { open = false; counts.now -= 1; } };
                options?.signal?.addEventListener('abort', end, { once: true });
                return original.apply(this, arguments).finally(end);
              };
            })();
            """;

    private ApiRequests(Page page) {
        this.page = page;
    }

    /** Starts counting; call it before the page is opened, for the log counts to work. */
    static ApiRequests of(Page page) {
        ApiRequests r = new ApiRequests(page);
        page.addInitScript(COUNT_LOG_FETCHES);
        page.onRequest(r::started);
        page.onRequestFinished(r::ended);
        page.onRequestFailed(r::ended);
        return r;
    }

    private static boolean isCollection(Request r) {
        return r.method().equals("GET") && URI.create(r.url()).getPath().equals("/api/jobs");
    }

    private void started(Request r) {
        String path = URI.create(r.url()).getPath();
        if (!path.startsWith("/api/")) return;
        total++;
        if (isCollection(r)) {
            collection++;
            if (r.resourceType().equals("eventsource")) streams++;
            else if (r.url().contains("after=")) longPolls++;
            maxInFlight = Math.max(maxInFlight, ++inFlight);
        } else if (path.equals("/api/nodes")) {
            nodes++;
        } else if (r.method().equals("GET") && path.startsWith("/api/jobs/") && path.endsWith("/log")) {
            logReads.add(r.url());
        } else if (r.method().equals("GET") && path.startsWith("/api/jobs/")) {
            perJobReads.add(r.url());
        }
    }

    private void ended(Request r) {
        if (isCollection(r)) inFlight--;
    }

    /** GET /api/jobs/{id}/log requests: only while a card's Log is open. */
    List<String> logReads() {
        return logReads;
    }

    /** Waits until the page has {@code n} log long-polls open (Playwright's timeout: 30 s). */
    void awaitLogsInFlight(int n) {
        page.waitForFunction("n => window.__joblineLogFetches.now === n", n);
    }

    /** The most log long-polls the page had open at the same time. */
    int maxLogsInFlight() {
        return ((Number) page.evaluate("() => window.__joblineLogFetches.max")).intValue();
    }

    /** EventSource requests on the collection (one stream each). */
    int streams() {
        return streams;
    }

    /** Collection long-polls (GET /api/jobs?after=...), not counting streams. */
    int longPolls() {
        return longPolls;
    }

    /** Every API request so far. */
    int total() {
        return total;
    }

    /** GET /api/jobs, with or without after: the listing and the watch. */
    int collection() {
        return collection;
    }

    /** GET /api/nodes: the Nodes panel asks every 10 s. */
    int nodes() {
        return nodes;
    }

    /** The most collection requests that were open at the same time. */
    int maxInFlight() {
        return maxInFlight;
    }

    /** GET /api/jobs/{id} requests: the page should never make one. */
    List<String> perJobReads() {
        return perJobReads;
    }
}
