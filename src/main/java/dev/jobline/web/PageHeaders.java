package dev.jobline.web;

import io.javalin.http.staticfiles.Location;
import io.javalin.http.staticfiles.StaticFileConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers the page's files are served with: a Content-Security-Policy that lets the page load
 * and talk to nothing but its own server (no inline script or style, no framing, no plugins), and
 * no MIME sniffing or referrer.
 */
final class PageHeaders {
    private static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; base-uri 'none'; form-action 'self'; "
                    + "frame-ancestors 'none'; object-src 'none'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer");

    private PageHeaders() {}

    /** Serves the page's files from {@code directory} with these headers, besides Javalin's own. */
    static void serve(StaticFileConfig files, String directory, Location location) {
        files.directory = directory;
        files.location = location;
        Map<String, String> headers = new LinkedHashMap<>(files.headers); // why: keeps Javalin's Cache-Control: max-age=0
        headers.putAll(HEADERS);
        files.headers = headers;
    }
}
