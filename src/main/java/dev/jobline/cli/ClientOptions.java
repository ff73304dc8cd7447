package dev.jobline.cli;

import dev.jobline.OptionValues;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every client command shares: where the server is, how long to retry a lost or busy one, and JSON output. */
final class ClientOptions {
    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:JOBLINE_URL:-http://127.0.0.1:7070}",
            description = "the server (env JOBLINE_URL; default: ${DEFAULT-VALUE}). The token comes from env JOBLINE_TOKEN.")
    String url;

    @Option(names = "--retry-for", paramLabel = "DURATION", defaultValue = "${env:JOBLINE_RETRY_FOR:-60s}", converter = OptionValues.Span.class,
            description = "how long to reconnect to a server that was lost, or retry one that answers 503 or 429, before exit 4 "
                    + "(env JOBLINE_RETRY_FOR; default: ${DEFAULT-VALUE}). A server never reached fails at once.")
    Duration retryFor;

    @Option(names = "--json", description = "print JSON: the server's answers, one job per line when following")
    boolean json;

    ApiClient api() {
        return new ApiClient(url, System.getenv("JOBLINE_TOKEN"), retryFor);
    }
}
