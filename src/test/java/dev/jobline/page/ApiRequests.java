package dev.jobline.page;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts what a page asks of the API, from Playwright's network events: watch requests on the
 * collection, how many were in flight at once, the Nodes panel's asks, and any request for a single job.
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
    private int logsInFlight;
    private int maxLogsInFlight;

    static ApiRequests of(Page page) {
        ApiRequests r = new ApiRequests();
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
            maxLogsInFlight = Math.max(maxLogsInFlight, ++logsInFlight);
        } else if (r.method().equals("GET") && path.startsWith("/api/jobs/")) {
            perJobReads.add(r.url());
        }
    }

    private void ended(Request r) {
        if (isCollection(r)) inFlight--;
        if (URI.create(r.url()).getPath().endsWith("/log")) logsInFlight--;
    }

    /** GET /api/jobs/{id}/log requests: only while a card's Log is open. */
    List<String> logReads() {
        return logReads;
    }

    /** Log requests open now. */
    int logsInFlight() {
        return logsInFlight;
    }

    /** The most log requests that were open at the same time. */
    int maxLogsInFlight() {
        return maxLogsInFlight;
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
