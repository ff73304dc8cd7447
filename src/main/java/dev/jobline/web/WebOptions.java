package dev.jobline.web;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the HTTP side listens and what it allows.
 *
 * @param maxWait the longest a long-poll may wait
 * @param maxBodyBytes the largest request body (413 above)
 * @param readTimeout how long a client may pause while it sends a request or takes an answer
 * @param publicDir a folder to serve the page from instead of the copy inside the jar, or null
 * @param tokens the API tokens every {@code /api} request must carry one of, or null for none
 * @param maxUploadBytes the largest upload body, instead of {@code maxBodyBytes} for the upload routes (413 above)
 * @param streams how Server-Sent Events streams behave
 */
public record WebOptions(String host, int port, Duration maxWait, long maxBodyBytes, Duration readTimeout, Path publicDir,
                         Tokens tokens, long maxUploadBytes, StreamOptions streams) {

    public WebOptions(String host, int port, Duration maxWait, long maxBodyBytes, Duration readTimeout, Path publicDir, Tokens tokens,
                      long maxUploadBytes) {
        this(host, port, maxWait, maxBodyBytes, readTimeout, publicDir, tokens, maxUploadBytes, StreamOptions.defaults());
    }

    public static final long DEFAULT_MAX_UPLOAD = 10L << 30;

    public WebOptions(String host, int port, Duration maxWait, long maxBodyBytes, Duration readTimeout, Path publicDir, Tokens tokens) {
        this(host, port, maxWait, maxBodyBytes, readTimeout, publicDir, tokens, DEFAULT_MAX_UPLOAD);
    }

    /** Loopback, a free port, the server's defaults, no tokens: for tests and embedding. */
    public static WebOptions local() {
        return new WebOptions("127.0.0.1", 0, Duration.ofSeconds(120), 64 * 1024, Duration.ofSeconds(30), null, null);
    }

    public WebOptions withTokens(Tokens t) {
        return new WebOptions(host, port, maxWait, maxBodyBytes, readTimeout, publicDir, t, maxUploadBytes, streams);
    }

    public WebOptions withReadTimeout(Duration d) {
        return new WebOptions(host, port, maxWait, maxBodyBytes, d, publicDir, tokens, maxUploadBytes, streams);
    }

    public WebOptions withMaxBody(long bytes) {
        return new WebOptions(host, port, maxWait, bytes, readTimeout, publicDir, tokens, maxUploadBytes, streams);
    }

    public WebOptions withMaxUpload(long bytes) {
        return new WebOptions(host, port, maxWait, maxBodyBytes, readTimeout, publicDir, tokens, bytes, streams);
    }

    public WebOptions withPublicDir(Path dir) {
        return new WebOptions(host, port, maxWait, maxBodyBytes, readTimeout, dir, tokens, maxUploadBytes, streams);
    }

    public WebOptions withStreams(StreamOptions s) {
        return new WebOptions(host, port, maxWait, maxBodyBytes, readTimeout, publicDir, tokens, maxUploadBytes, s);
    }
}
