package dev.jobline;

import dev.jobline.job.EngineOptions;
import dev.jobline.job.Quotas;
import dev.jobline.web.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every server option in one immutable record. Each reads from {@code --name value} (or
 * {@code --name=value}) and otherwise from the environment variable {@code JOBLINE_NAME}.
 */
public record Config(
        String host,
        int port,
        Path data,
        String store,
        Duration maxWait,
        int maxQueued,
        int maxRunning,
        int maxWaiters,
        long maxBodyBytes,
        Duration readTimeout,
        Duration grace,
        Duration retention,
        Duration progressFlush,
        Path publicDir,
        Tokens tokens,
        Integer maxActivePerOwner,
        Integer maxSubmitsPerSecondPerOwner,
        Integer maxWaitersPerOwner,
        boolean allowNoTokens) {

    /** name, default, meaning: the table {@code --help} prints and the README documents. */
    static final List<String[]> OPTIONS = List.of(
            new String[] {"host", "127.0.0.1", "address to listen on"},
            new String[] {"port", "7070", "port to listen on; 0 picks a free one"},
            new String[] {"data", "./data", "folder of the embedded store"},
            new String[] {"store", "sqlite", "sqlite (the file DATA/jobline.db) or memory (keeps nothing)"},
            new String[] {"max-wait", "120s", "longest a long-poll may wait"},
            new String[] {"max-queued", "10000", "jobs waiting to run before submits get 429"},
            new String[] {"max-running", "1000", "jobs running at once"},
            new String[] {"max-waiters", "50000", "long-polls held at once"},
            new String[] {"max-body", "1048576", "largest request body in bytes (413 above)"},
            new String[] {"read-timeout", "30s", "longest a client may pause while it sends a request or takes its answer; then its connection closes (a held long-poll is not cut)"},
            new String[] {"grace", "90s", "on SIGTERM, how long running jobs may take to finish"},
            new String[] {"retention", "24h", "how long finished jobs are kept"},
            new String[] {"progress-flush", "250ms", "how often a running job's progress is written to the store at most"},
            new String[] {"public-dir", "", "serve the page from this folder instead of the jar (for working on it)"},
            new String[] {"tokens", "", "file of API tokens, one 'OWNER ROLE SECRET' a line (env JOBLINE_TOKENS_FILE; or the lines themselves in JOBLINE_TOKENS)"},
            new String[] {"max-active-per-owner", "", "jobs queued or running at once per owner (1000 when tokens are declared)"},
            new String[] {"max-submits-per-second-per-owner", "", "submissions a second per owner, bursts up to twice that (100 when tokens are declared)"},
            new String[] {"max-waiters-per-owner", "", "long-polls waiting at once per owner (1000 when tokens are declared)"},
            new String[] {"allow-no-tokens", "false", "true lets a server without tokens listen on an address other than loopback"});

    public static Config defaults() {
        return parse(new String[0], Map.of());
    }

    /** A copy listening on another port: the common change for tests and embedding. */
    public Config withPort(int newPort) {
        return new Config(host, newPort, data, store, maxWait, maxQueued, maxRunning, maxWaiters, maxBodyBytes,
                readTimeout, grace, retention, progressFlush, publicDir, tokens, maxActivePerOwner, maxSubmitsPerSecondPerOwner,
                maxWaitersPerOwner, allowNoTokens);
    }

    public Config withStore(String newStore, Path newData) {
        return new Config(host, port, newData, newStore, maxWait, maxQueued, maxRunning, maxWaiters, maxBodyBytes,
                readTimeout, grace, retention, progressFlush, publicDir, tokens, maxActivePerOwner, maxSubmitsPerSecondPerOwner,
                maxWaitersPerOwner, allowNoTokens);
    }

    /** A copy that requires these API tokens. */
    public Config withTokens(Tokens newTokens) {
        return new Config(host, port, data, store, maxWait, maxQueued, maxRunning, maxWaiters, maxBodyBytes,
                readTimeout, grace, retention, progressFlush, publicDir, newTokens, maxActivePerOwner, maxSubmitsPerSecondPerOwner,
                maxWaitersPerOwner, allowNoTokens);
    }

    /** The per-owner quotas in force: as set, or the defaults when tokens are declared. */
    public Quotas quotas() {
        boolean on = tokens != null;
        return new Quotas(orDefault(maxActivePerOwner, on, 1000), orDefault(maxSubmitsPerSecondPerOwner, on, 100),
                orDefault(maxWaitersPerOwner, on, 1000));
    }

    private static Integer orDefault(Integer set, boolean tokensOn, int fallback) {
        return set != null ? set : tokensOn ? Integer.valueOf(fallback) : null;
    }

    public EngineOptions engineOptions() {
        return new EngineOptions(maxQueued, maxRunning, maxWaiters, progressFlush, retention, 3);
    }

    /** Thrown for an option that is unknown or has a value that does not fit; the message says which. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    public static Config parse(String[] args, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String[] o : OPTIONS) {
            // why: JOBLINE_TOKENS holds the token lines themselves, so the file comes from JOBLINE_TOKENS_FILE
            String envName = o[0].equals("tokens") ? "JOBLINE_TOKENS_FILE" : "JOBLINE_" + o[0].toUpperCase(Locale.ROOT).replace('-', '_');
            String fromEnv = env.get(envName);
            values.put(o[0], fromEnv != null ? fromEnv : o[1]);
        }
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new UsageException("unexpected argument '" + a + "'");
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException("option --" + name + " needs a value");
            }
            if (!values.containsKey(name)) throw new UsageException("unknown option --" + name + "; see --help");
            values.put(name, value);
        }
        String store = values.get("store");
        if (!store.equals("sqlite") && !store.equals("memory")) {
            throw new UsageException("--store must be sqlite or memory, not '" + store + "'");
        }
        String publicDir = values.get("public-dir");
        Tokens tokens = tokens(values.get("tokens"), env.get("JOBLINE_TOKENS"));
        String allow = values.get("allow-no-tokens");
        if (!allow.equals("true") && !allow.equals("false")) throw new UsageException("--allow-no-tokens must be true or false");
        return new Config(
                values.get("host"),
                intOption(values, "port", 0, 65535),
                Path.of(values.get("data")),
                store,
                duration(values, "max-wait"),
                intOption(values, "max-queued", 1, Integer.MAX_VALUE),
                intOption(values, "max-running", 1, Integer.MAX_VALUE),
                intOption(values, "max-waiters", 1, Integer.MAX_VALUE),
                intOption(values, "max-body", 1024, Integer.MAX_VALUE),
                positive(values, "read-timeout"),
                duration(values, "grace"),
                duration(values, "retention"),
                duration(values, "progress-flush"),
                publicDir.isEmpty() ? null : Path.of(publicDir),
                tokens,
                optionalInt(values, "max-active-per-owner"),
                optionalInt(values, "max-submits-per-second-per-owner"),
                optionalInt(values, "max-waiters-per-owner"),
                allow.equals("true"));
    }

    private static Tokens tokens(String file, String inline) {
        try {
            if (!file.isEmpty()) return Tokens.parse(Files.readString(Path.of(file)));
            if (inline != null && !inline.isBlank()) return Tokens.parse(inline);
            return null;
        } catch (java.io.IOException e) {
            throw new UsageException("cannot read the tokens file " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageException("tokens: " + e.getMessage());
        }
    }

    private static Integer optionalInt(Map<String, String> values, String name) {
        return values.get(name).isEmpty() ? null : intOption(values, name, 1, Integer.MAX_VALUE);
    }

    private static int intOption(Map<String, String> values, String name, int min, int max) {
        try {
            int n = Integer.parseInt(values.get(name).trim());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new UsageException("--" + name + " must be a whole number from " + min + " to " + max + ", not '" + values.get(name) + "'");
    }

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)?");

    static Duration duration(Map<String, String> values, String name) {
        return parseDuration(name, values.get(name));
    }

    private static Duration positive(Map<String, String> values, String name) {
        Duration d = duration(values, name);
        if (d.isZero()) throw new UsageException("--" + name + " must be more than 0, not '" + values.get(name) + "'");
        return d;
    }

    /** Reads {@code 500ms}, {@code 30} (seconds), {@code 30s}, {@code 2m}, {@code 24h} or {@code 7d}; the option's name is for the message. */
    public static Duration parseDuration(String name, String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new UsageException("--" + name + " must be a duration like 500ms, 30s, 2m, 24h or 7d, not '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }

    static String usage() {
        StringBuilder sb = new StringBuilder("Usage: java -jar jobline.jar [serve] [options]\n\nOptions (each also read from JOBLINE_NAME):\n");
        for (String[] o : OPTIONS) {
            sb.append(String.format("  --%-16s %s (default: %s)%n", o[0], o[2], o[1].isEmpty() ? "none" : o[1]));
        }
        return sb.toString();
    }
}
