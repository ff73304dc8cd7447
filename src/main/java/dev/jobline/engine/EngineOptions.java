package dev.jobline.engine;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The engine's limits and timings.
 *
 * @param maxQueued jobs waiting to run (in the whole store) before submits get 429
 * @param maxRunning jobs running at once on this node
 * @param maxWaiters long-polls held at once in this process
 * @param progressFlushInterval how often a running job's progress is written to the store at most
 * @param retention how long finished jobs are kept before they are deleted
 * @param maxAttempts runs a job gets before a job interrupted that often fails for good
 * @param nodeId this node's name among the nodes sharing the store
 * @param lease how long a node may miss its heartbeat before the others take over its running jobs
 * @param maxLogLines the newest lines of each job's log that are kept
 * @param uploads the folder of uploaded files (shared by the nodes of a cluster), or null for a
 *     temporary folder removed when the engine closes
 * @param queues the declared queues (--queues) with their limits of jobs running at once across
 *     every node; jobs without a queue run in the default one, bounded by {@code maxRunning}
 */
public record EngineOptions(int maxQueued, int maxRunning, int maxWaiters, Duration progressFlushInterval,
                            Duration retention, int maxAttempts, String nodeId, Duration lease, int maxLogLines, Path uploads,
                            java.util.Map<String, Integer> queues) {

    public EngineOptions {
        queues = queues == null ? java.util.Map.of() : java.util.Map.copyOf(queues);
    }

    /** Options without declared queues. */
    public EngineOptions(int maxQueued, int maxRunning, int maxWaiters, Duration progressFlushInterval,
                         Duration retention, int maxAttempts, String nodeId, Duration lease, int maxLogLines, Path uploads) {
        this(maxQueued, maxRunning, maxWaiters, progressFlushInterval, retention, maxAttempts, nodeId, lease, maxLogLines, uploads, null);
    }

    public EngineOptions withQueues(java.util.Map<String, Integer> declared) {
        return new EngineOptions(maxQueued, maxRunning, maxWaiters, progressFlushInterval, retention, maxAttempts, nodeId, lease, maxLogLines,
                uploads, declared);
    }
    public static final int DEFAULT_MAX_LOG_LINES = 10_000;

    /** Options keeping the default number of log lines. */
    public EngineOptions(int maxQueued, int maxRunning, int maxWaiters, Duration progressFlushInterval,
                         Duration retention, int maxAttempts, String nodeId, Duration lease) {
        this(maxQueued, maxRunning, maxWaiters, progressFlushInterval, retention, maxAttempts, nodeId, lease, DEFAULT_MAX_LOG_LINES, null);
    }

    public static EngineOptions defaults() {
        return new EngineOptions(10_000, 1_000, 50_000, Duration.ofMillis(250), Duration.ofHours(24), 3, defaultNodeId(),
                Duration.ofSeconds(30));
    }

    /** The host name and a random suffix, so that two nodes on one host (or one node restarted) are told apart. */
    public static String defaultNodeId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "node";
        }
        host = host.replaceAll("[^A-Za-z0-9._-]", "-");
        if (host.length() > 40) host = host.substring(0, 40);
        return host + "-" + java.util.UUID.randomUUID().toString().substring(0, 6);
    }

    public EngineOptions withLimits(int queued, int running) {
        return new EngineOptions(queued, running, maxWaiters, progressFlushInterval, retention, maxAttempts, nodeId, lease, maxLogLines, uploads, queues);
    }

    public EngineOptions withNode(String id, Duration newLease) {
        return new EngineOptions(maxQueued, maxRunning, maxWaiters, progressFlushInterval, retention, maxAttempts, id, newLease, maxLogLines, uploads, queues);
    }

    public EngineOptions withTimings(Duration flush, Duration keep) {
        return new EngineOptions(maxQueued, maxRunning, maxWaiters, flush, keep, maxAttempts, nodeId, lease, maxLogLines, uploads, queues);
    }

    public EngineOptions withMaxLogLines(int lines) {
        return new EngineOptions(maxQueued, maxRunning, maxWaiters, progressFlushInterval, retention, maxAttempts, nodeId, lease, lines, uploads, queues);
    }

    public EngineOptions withUploads(Path folder) {
        return new EngineOptions(maxQueued, maxRunning, maxWaiters, progressFlushInterval, retention, maxAttempts, nodeId, lease, maxLogLines,
                folder, queues);
    }

    /** How often the node beats: a third of the lease, from 200 ms to 10 s. */
    public Duration heartbeat() {
        long ms = Math.max(200, Math.min(10_000, lease.toMillis() / 3));
        return Duration.ofMillis(ms);
    }
}
