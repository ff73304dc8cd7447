package dev.jobline.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Option;

/** The submit options of when and how a job runs; the server checks their values (a bad one is its 422, named in the message). */
final class FlowOptions {
    @Option(names = "--at", paramLabel = "TIME", description = "start no sooner than this RFC 3339 time, like 2026-12-24T18:00:00Z")
    String at;

    @Option(names = "--delay", paramLabel = "DURATION", description = "start no sooner than this from now, like 90s or 10m")
    String delay;

    @Option(names = "--priority", paramLabel = "N", description = "-100 to 100: among ready jobs of its queue, higher first (default 0)")
    Integer priority;

    @Option(names = "--queue", paramLabel = "NAME", description = "a queue the server declares with --queues")
    String queue;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "an attempt running longer fails as timeout, like 5m")
    String timeout;

    @Option(names = "--retries", paramLabel = "N",
            description = "run a failed job again up to N more times, waiting 1s, 2s, 4s... (with jitter) between attempts")
    Integer retries;

    /** Sets the fields given on the submit's body. */
    void addTo(ObjectNode body) {
        if (at != null) body.put("runAt", at);
        if (delay != null) body.put("delay", delay);
        if (priority != null) body.put("priority", priority);
        if (queue != null) body.put("queue", queue);
        if (timeout != null) body.put("timeout", timeout);
        if (retries != null) {
            if (retries < 0 || retries > 99) throw new CliException(ExitCodes.USAGE, "--retries must be a whole number from 0 to 99, not " + retries);
            body.putObject("retry").put("maxAttempts", retries + 1);
        }
    }
}
