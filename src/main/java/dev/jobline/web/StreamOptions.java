package dev.jobline.web;

import java.time.Duration;

/**
 * How Server-Sent Events streams behave.
 *
 * @param keepAlive after how long without an event a {@code : keep-alive} comment is sent
 * @param maxStream how long one stream lasts at most; the client then goes on with Last-Event-ID
 * @param stallAfter how long one write may stay blocked by a reader that does not take it
 *     before the stream is closed (the client resumes with Last-Event-ID)
 */
public record StreamOptions(Duration keepAlive, Duration maxStream, Duration stallAfter) {
    public static final Duration DEFAULT_MAX_STREAM = Duration.ofHours(1);

    public StreamOptions {
        if (keepAlive.isNegative() || keepAlive.isZero() || maxStream.isNegative() || maxStream.isZero()
                || stallAfter.isNegative() || stallAfter.isZero()) {
            throw new IllegalArgumentException("stream durations must be positive");
        }
    }

    public static StreamOptions defaults() {
        return new StreamOptions(Duration.ofSeconds(15), DEFAULT_MAX_STREAM, Duration.ofSeconds(10));
    }

    public StreamOptions withMaxStream(Duration d) {
        return new StreamOptions(keepAlive, d, stallAfter);
    }
}
