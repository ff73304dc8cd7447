package dev.jobline.page;

import com.microsoft.playwright.ConsoleMessage;
import com.microsoft.playwright.Page;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything that went wrong in the pages a test opened: console errors (a failed request, a
 * Content-Security-Policy violation: "Executing inline script violates ...", in older Chromium
 * "Refused to execute ..."), uncaught exceptions, and securitypolicyviolation events. {@link BrowserTest} fails a test that leaves any. A test that
 * makes a request fail on purpose allows exactly that failure with {@link #allowFailedRequest};
 * exceptions and policy violations cannot be allowed.
 */
final class BrowserErrors {
    /** What went wrong: kind is console, pageerror or csp; url is where (the failed resource, for a failed request). */
    record Seen(String kind, String text, String url) {
        @Override
        public String toString() {
            return kind + ": " + text + (url.isEmpty() ? "" : " (" + url + ")");
        }
    }

    /** A request the test makes fail: the path it went to and how Chromium words the failure. */
    private record Allowed(String path, String reason) {
        boolean covers(Seen s) {
            return s.kind.equals("console")
                    && s.text.equals("Failed to load resource: " + reason)
                    && !s.url.isEmpty() && URI.create(s.url).getPath().equals(path);
        }
    }

    private static final String ON_VIOLATION = "document.addEventListener('securitypolicyviolation', e =>"
            + " window.joblineCspViolation(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')"
            + " + ' at ' + e.sourceFile + ':' + e.lineNumber), true);";

    // why: Playwright calls the listeners on the test's thread, while it waits for the browser
    private final List<Seen> seen = new ArrayList<>();
    private final List<Allowed> allowed = new ArrayList<>();

    /** Starts listening to a new page; call before it navigates. */
    void watch(Page page) {
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) seen.add(new Seen("console", m.text(), location(m)));
        });
        page.onPageError(e -> seen.add(new Seen("pageerror", e, "")));
        page.exposeFunction("joblineCspViolation", args -> {
            seen.add(new Seen("csp", String.valueOf(args[0]), page.url()));
            return null;
        });
        page.addInitScript(ON_VIOLATION);
    }

    private static String location(ConsoleMessage m) {
        String url = m.location();
        // why: Playwright gives the location as url:line:column; a failed resource has line and column 0
        return url == null ? "" : url.replaceFirst(":\\d+:\\d+$", "");
    }

    /**
     * Lets requests to {@code path} fail as {@code reason} words it: a status
     * ({@code "the server responded with a status of 401 (Unauthorized)"}) or a network error
     * ({@code "net::ERR_CONNECTION_REFUSED"}). Holds until the end of the test.
     */
    BrowserErrors allowFailedRequest(String path, String reason) {
        allowed.add(new Allowed(path, reason));
        return this;
    }

    /** What went wrong so far and is not allowed. */
    List<Seen> unexpected() {
        return seen.stream().filter(s -> allowed.stream().noneMatch(a -> a.covers(s))).toList();
    }

    /** Fails if anything went wrong that is not allowed. */
    void assertNone() {
        List<Seen> bad = unexpected();
        if (!bad.isEmpty()) {
            throw new AssertionError("the browser reported " + bad.size() + " error(s):\n  "
                    + String.join("\n  ", bad.stream().map(Seen::toString).toList()));
        }
    }

    /** Forgets what was seen and allowed: the next test starts clean. */
    void reset() {
        seen.clear();
        allowed.clear();
    }
}
