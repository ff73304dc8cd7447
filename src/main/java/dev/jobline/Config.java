package dev.jobline;

import dev.jobline.callback.CallbackPolicy;
import dev.jobline.callback.CallbackSettings;
import dev.jobline.callback.Signer;
import dev.jobline.engine.EngineOptions;
import dev.jobline.engine.Quotas;
import dev.jobline.web.WebOptions;
import dev.jobline.web.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Every server option in one immutable record, read by {@link #parse} from {@code --name value}
 * (or {@code --name=value}), else from the environment variable {@code JOBLINE_NAME}, else the
 * default. The options are declared once, as the fields of {@link Options}.
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
        boolean allowNoTokens,
        String dbUrl,
        String nodeId,
        Duration lease,
        CallbackSettings callbacks,
        Path commands,
        int maxLogLines,
        long maxUploadBytes,
        Path schedules,
        Map<String, Integer> queues,
        Duration maxStream,
        Monitoring monitoring) {

    /** What the server tells its operator: {@code GET /metrics} (--metrics) and the access and job event lines (--access-log). */
    public record Monitoring(boolean metrics, boolean accessLog) {}

    public static Config defaults() {
        return parse(new String[0], Map.of());
    }

    /** A copy listening on another port: the common change for tests and embedding. */
    public Config withPort(int newPort) {
        return new Config(host, newPort, data, store, maxWait, maxQueued, maxRunning, maxWaiters, maxBodyBytes,
                readTimeout, grace, retention, progressFlush, publicDir, tokens, maxActivePerOwner, maxSubmitsPerSecondPerOwner,
                maxWaitersPerOwner, allowNoTokens, dbUrl, nodeId, lease, callbacks, commands, maxLogLines, maxUploadBytes, schedules, queues,
                maxStream, monitoring);
    }

    public Config withStore(String newStore, Path newData) {
        return new Config(host, port, newData, newStore, maxWait, maxQueued, maxRunning, maxWaiters, maxBodyBytes,
                readTimeout, grace, retention, progressFlush, publicDir, tokens, maxActivePerOwner, maxSubmitsPerSecondPerOwner,
                maxWaitersPerOwner, allowNoTokens, dbUrl, nodeId, lease, callbacks, commands, maxLogLines, maxUploadBytes, schedules, queues,
                maxStream, monitoring);
    }

    /** A copy that requires these API tokens. */
    public Config withTokens(Tokens newTokens) {
        return new Config(host, port, data, store, maxWait, maxQueued, maxRunning, maxWaiters, maxBodyBytes,
                readTimeout, grace, retention, progressFlush, publicDir, newTokens, maxActivePerOwner, maxSubmitsPerSecondPerOwner,
                maxWaitersPerOwner, allowNoTokens, dbUrl, nodeId, lease, callbacks, commands, maxLogLines, maxUploadBytes, schedules, queues,
                maxStream, monitoring);
    }

    /** A copy with metrics and the access log on or off. */
    public Config withMonitoring(Monitoring m) {
        return new Config(host, port, data, store, maxWait, maxQueued, maxRunning, maxWaiters, maxBodyBytes,
                readTimeout, grace, retention, progressFlush, publicDir, tokens, maxActivePerOwner, maxSubmitsPerSecondPerOwner,
                maxWaitersPerOwner, allowNoTokens, dbUrl, nodeId, lease, callbacks, commands, maxLogLines, maxUploadBytes, schedules, queues,
                maxStream, m);
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
        return new EngineOptions(maxQueued, maxRunning, maxWaiters, progressFlush, retention, 3,
                nodeId == null ? EngineOptions.defaultNodeId() : nodeId, lease, maxLogLines,
                store.equals("memory") ? null : data.resolve("uploads"), queues);
    }

    public WebOptions webOptions() {
        return new WebOptions(host, port, maxWait, maxBodyBytes, readTimeout, publicDir, tokens, maxUploadBytes,
                dev.jobline.web.StreamOptions.defaults().withMaxStream(maxStream));
    }

    /** Thrown for an option that is unknown or has a value that does not fit; the message says which. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    /**
     * Reads the server's options from {@code args} over {@code env}: a flag wins over its variable,
     * which wins over the default. The same parser reads {@code serve}'s command line.
     *
     * @throws UsageException for an unknown option or a value that does not fit; the message names it
     */
    public static Config parse(String[] args, Map<String, String> env) {
        Options options = new Options();
        CommandLine cl = new CommandLine(options).setOverwrittenOptionsAllowed(true).setDefaultValueProvider(environment(env));
        try {
            cl.parseArgs(args);
        } catch (ParameterException e) {
            throw new UsageException(OptionValues.explain(e));
        }
        return options.toConfig(env);
    }

    /** The defaults the environment gives the server's options: {@code --max-wait} from {@code JOBLINE_MAX_WAIT}, and so on. */
    public static OptionValues.FromEnvironment environment(Map<String, String> env) {
        return new OptionValues.FromEnvironment(env, Config::variable);
    }

    static String variable(OptionSpec option) {
        String name = option.longestName().substring(2);
        // why: JOBLINE_TOKENS holds the token lines themselves, so the file comes from JOBLINE_TOKENS_FILE
        if (name.equals("tokens")) return "JOBLINE_TOKENS_FILE";
        return "JOBLINE_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * The server's options, each one annotated field: its flag, default, rule (a converter from
     * {@link OptionValues}) and meaning; its variable follows from its name. {@code serve} mixes
     * them in and {@link #parse} reads them. A new option is a field here, a component of the
     * record and its argument in {@link #toConfig} (and the copies {@code with...}), which the
     * compiler asks for, and a row in the README's table, which {@code ConfigTest} asks for.
     */
    public static final class Options {
        @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "address to listen on")
        String host;

        @Option(names = "--port", paramLabel = "PORT", defaultValue = "7070", converter = OptionValues.Port.class,
                description = "port to listen on; 0 picks a free one")
        int port;

        @Option(names = "--data", paramLabel = "DIR", defaultValue = "./data", description = "folder of the embedded store")
        Path data;

        @Option(names = "--store", paramLabel = "STORE", defaultValue = "sqlite", converter = OptionValues.Store.class,
                description = "sqlite (the file DATA/jobline.db), memory (keeps nothing) or postgres (shared by several nodes; needs --db-url)")
        String store;

        @Option(names = "--max-wait", paramLabel = "DURATION", defaultValue = "120s", converter = OptionValues.Span.class,
                description = "longest a long-poll may wait")
        Duration maxWait;

        @Option(names = "--max-queued", paramLabel = "N", defaultValue = "10000", converter = OptionValues.Positive.class,
                description = "jobs waiting to run before submits get 429")
        int maxQueued;

        @Option(names = "--max-running", paramLabel = "N", defaultValue = "1000", converter = OptionValues.Positive.class,
                description = "jobs running at once")
        int maxRunning;

        @Option(names = "--max-waiters", paramLabel = "N", defaultValue = "50000", converter = OptionValues.Positive.class,
                description = "long-polls held at once")
        int maxWaiters;

        @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "1048576", converter = OptionValues.AtLeast1024.class,
                description = "largest request body in bytes (413 above)")
        int maxBody;

        @Option(names = "--read-timeout", paramLabel = "DURATION", defaultValue = "30s", converter = OptionValues.PositiveSpan.class,
                description = "longest a client may pause while it sends a request or takes its answer; then its connection closes (a held long-poll is not cut)")
        Duration readTimeout;

        @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "90s", converter = OptionValues.Span.class,
                description = "on SIGTERM, how long running jobs may take to finish")
        Duration grace;

        @Option(names = "--retention", paramLabel = "DURATION", defaultValue = "24h", converter = OptionValues.Span.class,
                description = "how long finished jobs are kept, and uploads no job uses")
        Duration retention;

        @Option(names = "--progress-flush", paramLabel = "DURATION", defaultValue = "250ms", converter = OptionValues.Span.class,
                description = "how often a running job's progress is written to the store at most")
        Duration progressFlush;

        @Option(names = "--public-dir", paramLabel = "DIR", description = "serve the page from this folder instead of the jar (for working on it)")
        Path publicDir;

        @Option(names = "--tokens", paramLabel = "FILE",
                description = "file of API tokens, one 'OWNER ROLE SECRET' a line (env JOBLINE_TOKENS_FILE; or the lines themselves in JOBLINE_TOKENS)")
        Path tokens;

        @Option(names = "--max-active-per-owner", paramLabel = "N", converter = OptionValues.Positive.class,
                description = "jobs queued or running at once per owner (1000 when tokens are declared)")
        Integer maxActivePerOwner;

        @Option(names = "--max-submits-per-second-per-owner", paramLabel = "N", converter = OptionValues.Positive.class,
                description = "submissions a second per owner, bursts up to twice that (100 when tokens are declared)")
        Integer maxSubmitsPerSecondPerOwner;

        @Option(names = "--max-waiters-per-owner", paramLabel = "N", converter = OptionValues.Positive.class,
                description = "long-polls waiting at once per owner (1000 when tokens are declared)")
        Integer maxWaitersPerOwner;

        @Option(names = "--allow-no-tokens", paramLabel = "true|false", arity = "1", defaultValue = "false",
                converter = OptionValues.TrueOrFalse.class,
                description = "true lets a server without tokens listen on an address other than loopback")
        boolean allowNoTokens;

        @Option(names = "--db-url", paramLabel = "JDBC-URL",
                description = "with --store postgres: jdbc:postgresql://HOST:PORT/DB?user=U&password=P")
        String dbUrl;

        @Option(names = "--node-id", paramLabel = "NAME", converter = OptionValues.NodeName.class,
                description = "this node's name among the nodes sharing a store (default: the host name and a random suffix)")
        String nodeId;

        @Option(names = "--lease", paramLabel = "DURATION", defaultValue = "30s", converter = OptionValues.PositiveSpan.class,
                description = "how long a node may miss its heartbeat before the other nodes take over its running jobs")
        Duration lease;

        @Option(names = "--callback-allow", paramLabel = "PREFIXES",
                description = "comma-separated URL prefixes callbacks may go to, like https://hooks.example/jobline/ (none: callbacks are refused)")
        String callbackAllow;

        @Option(names = "--callback-secret-file", paramLabel = "FILE",
                description = "file holding the secret callbacks are signed with (or the secret itself in JOBLINE_CALLBACK_SECRET)")
        Path callbackSecretFile;

        @Option(names = "--callback-retry-for", paramLabel = "DURATION", defaultValue = "24h", converter = OptionValues.PositiveSpan.class,
                description = "how long a callback that is not answered 2xx is retried before it is given up")
        Duration callbackRetryFor;

        @Option(names = "--commands", paramLabel = "FILE",
                description = "JSON file of commands (existing programs) that run as job types; see the README, Run your own scripts")
        Path commands;

        @Option(names = "--max-log-lines", paramLabel = "N", defaultValue = "10000", converter = OptionValues.Positive.class,
                description = "the newest lines of each job's log that are kept; older ones count as dropped")
        int maxLogLines;

        @Option(names = "--max-upload", paramLabel = "BYTES", defaultValue = "10GiB", converter = OptionValues.Bytes.class,
                description = "largest upload in bytes, or with a unit: 512MiB, 10GiB (413 above)")
        long maxUpload;

        @Option(names = "--schedules", paramLabel = "FILE",
                description = "JSON file of recurring jobs (cron with time zones, @every, @hourly, @daily); see the README, Recurring jobs")
        Path schedules;
        @Option(names = "--queues", paramLabel = "NAME=LIMIT,...", converter = OptionValues.Queues.class,
                description = "named queues jobs may be submitted to, each with its limit of jobs running at once across every node")
        OptionValues.Queues.Declared queues;
        @Option(names = "--max-stream", paramLabel = "DURATION", defaultValue = "1h", converter = OptionValues.PositiveSpan.class,
                description = "longest a Server-Sent Events stream lasts; the client then goes on with Last-Event-ID")
        Duration maxStream;
        @Option(names = "--metrics", paramLabel = "on|off", arity = "1", defaultValue = "on", converter = OptionValues.OnOrOff.class,
                description = "GET /metrics in the Prometheus text format (admins only when tokens are declared)")
        String metrics;

        @Option(names = "--access-log", paramLabel = "on|off", arity = "1", defaultValue = "on", converter = OptionValues.OnOrOff.class,
                description = "a line per request and per job event on the loggers jobline.access and jobline.events")
        String accessLog;

        /** The record of these values; {@code env} gives the token lines of JOBLINE_TOKENS when no file is named. */
        public Config toConfig(Map<String, String> env) {
            return new Config(host, port, data, store, maxWait, maxQueued, maxRunning, maxWaiters, maxBody, readTimeout, grace, retention,
                    progressFlush, publicDir, tokens(tokens, env.get("JOBLINE_TOKENS")), maxActivePerOwner,
                    maxSubmitsPerSecondPerOwner, maxWaitersPerOwner, allowNoTokens, dbUrl(store, dbUrl), nodeId, lease,
                    callbacks(callbackAllow, callbackSecretFile, env.get("JOBLINE_CALLBACK_SECRET"), callbackRetryFor), commands,
                    maxLogLines, maxUpload, schedules, queues == null ? Map.of() : queues.limits(), maxStream,
                    new Monitoring(metrics.equals("on"), accessLog.equals("on")));
        }
    }

    private static CallbackSettings callbacks(String allow, Path secretFile, String secretFromEnv, Duration retryFor) {
        CallbackPolicy policy;
        try {
            policy = CallbackPolicy.parse(allow);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--callback-allow: " + e.getMessage());
        }
        String secret = secretFromEnv;
        if (secretFile != null) {
            try {
                secret = Files.readString(secretFile).strip();
            } catch (IOException e) {
                throw new UsageException("cannot read the callback secret file " + secretFile + ": " + e.getMessage());
            }
            if (secret.isEmpty()) throw new UsageException("the callback secret file " + secretFile + " is empty");
        }
        Signer signer = secret == null || secret.isBlank() ? null : new Signer(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            return new CallbackSettings(policy, signer, retryFor);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static String dbUrl(String store, String url) {
        if (store.equals("postgres") && (url == null || url.isBlank())) {
            throw new UsageException("--store postgres needs --db-url (or JOBLINE_DB_URL), like jdbc:postgresql://127.0.0.1:5432/jobline?user=jobline&password=...");
        }
        if (url != null && !url.isBlank() && !url.startsWith("jdbc:postgresql://")) {
            throw new UsageException("--db-url must start with jdbc:postgresql://, not '" + (url.length() > 30 ? url.substring(0, 30) + "..." : url) + "'");
        }
        return url == null || url.isBlank() ? null : url;
    }

    private static Tokens tokens(Path file, String inline) {
        try {
            if (file != null) return Tokens.parse(Files.readString(file));
            if (inline != null && !inline.isBlank()) return Tokens.parse(inline);
            return null;
        } catch (IOException e) {
            throw new UsageException("cannot read the tokens file " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageException("tokens: " + e.getMessage());
        }
    }
}
