package dev.jobline.callback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.job.Callback;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Which callback URLs a server accepts: those under one of the {@code --callback-allow} prefixes.
 * A prefix and a URL are compared parsed and normalized, never as text: the scheme, host and
 * port (the scheme's default when absent) must be equal, and the URL's path must start with the
 * prefix's path. So the prefix {@code https://hooks.example} allows every path on exactly that
 * host and port, never {@code https://hooks.example.evil.com/}; a prefix path should end with
 * {@code /} ({@code https://hooks.example/jobline/}), since {@code /jobline} would also allow
 * {@code /jobline-old}. A URL with user info, a fragment, dot segments ({@code /../}) or encoded
 * slashes, dots or backslashes in its path is refused outright.
 */
public final class CallbackPolicy {
    /** No prefixes: every callback is refused. */
    public static final CallbackPolicy NONE = new CallbackPolicy(List.of());

    private record Target(String scheme, String host, int port, String path) {}

    private final List<Target> prefixes;

    private CallbackPolicy(List<Target> prefixes) {
        this.prefixes = prefixes;
    }

    /** Thrown for a callback that is refused: {@code status} 400 for a malformed field, 422 for a URL that is not allowed. */
    public static final class Refused extends RuntimeException {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * The policy of a comma-separated list of prefixes (blank: none).
     *
     * @throws IllegalArgumentException naming a prefix that is not an http(s) URL with a host and no query, fragment or user info
     */
    public static CallbackPolicy parse(String list) {
        List<Target> out = new ArrayList<>();
        if (list != null) {
            for (String raw : list.split(",")) {
                if (raw.isBlank()) continue;
                try {
                    URI u = new URI(raw.trim());
                    if (u.getRawQuery() != null || u.getRawFragment() != null) throw new Refused(400, "has a query or fragment");
                    out.add(target(u));
                } catch (URISyntaxException | Refused e) {
                    throw new IllegalArgumentException("'" + raw.trim() + "' is not a URL prefix like https://hooks.example/jobline/ ("
                            + (e instanceof URISyntaxException s ? s.getReason() : e.getMessage()) + ")");
                }
            }
        }
        return new CallbackPolicy(List.copyOf(out));
    }

    public boolean enabled() {
        return !prefixes.isEmpty();
    }

    /** Whether {@code url} may be called now: well formed and under one of the prefixes. */
    public boolean allows(String url) {
        try {
            return allowed(target(new URI(url)));
        } catch (URISyntaxException | Refused e) {
            return false;
        }
    }

    private boolean allowed(Target t) {
        for (Target p : prefixes) {
            if (p.scheme.equals(t.scheme) && p.host.equals(t.host) && p.port == t.port && t.path.startsWith(p.path)) return true;
        }
        return false;
    }

    /** The callback of a submit's {@code callback} field (null when absent), or Refused naming the field and the rule. */
    public Callback accept(JsonNode field) {
        if (field == null || field.isNull()) return null;
        if (!field.isObject()) throw new Refused(400, "callback must be an object like {\"url\": \"https://hooks.example/jobline/\"}");
        for (Iterator<String> it = field.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("url")) throw new Refused(400, "unknown field 'callback." + cut(f) + "'; a callback has only url");
        }
        JsonNode url = field.get("url");
        if (url == null || url.isNull()) throw new Refused(400, "callback.url is required");
        if (!url.isTextual()) throw new Refused(400, "callback.url must be a string");
        String text = url.asText();
        if (text.length() > 2048) throw new Refused(422, "callback.url must be at most 2048 characters");
        Target t;
        try {
            t = target(new URI(text));
        } catch (URISyntaxException e) {
            throw new Refused(422, "callback.url is not a valid URL: " + cut(e.getReason()));
        } catch (Refused e) {
            throw new Refused(422, "callback.url " + e.getMessage());
        }
        if (!enabled()) throw new Refused(422, "callback.url is not allowed: this server accepts no callbacks (see --callback-allow)");
        if (!allowed(t)) throw new Refused(422, "callback.url is not allowed: it must start with one of the prefixes of --callback-allow");
        return new Callback(text);
    }

    /** The parts of an absolute http(s) URL that are compared, normalized; Refused (with a message to follow the field's name) otherwise. */
    private static Target target(URI u) {
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) throw new Refused(422, "must be an http or https URL");
        if (u.getRawUserInfo() != null) throw new Refused(422, "must not carry user info (user@)");
        if (u.getHost() == null) throw new Refused(422, "must have a host name");
        if (u.getRawFragment() != null) throw new Refused(422, "must not have a fragment (#)");
        String rawPath = u.getRawPath() == null ? "" : u.getRawPath();
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%2e") || lower.contains("%5c") || rawPath.contains("\\")) {
            throw new Refused(422, "must not have encoded slashes, dots or backslashes in its path");
        }
        String path = rawPath.isEmpty() ? "/" : rawPath;
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) throw new Refused(422, "must not have . or .. segments in its path");
        }
        int port = u.getPort() != -1 ? u.getPort() : scheme.equals("https") ? 443 : 80;
        return new Target(scheme, u.getHost().toLowerCase(Locale.ROOT), port, path);
    }

    private static String cut(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
