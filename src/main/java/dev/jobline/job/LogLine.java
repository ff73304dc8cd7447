package dev.jobline.job;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;

/**
 * One line of a job's log: its number {@code n} (from 1, without gaps, per job; 0 until the store
 * numbers it), when it was written, its stream ({@code stdout}, {@code stderr} or {@code log}) and
 * its text, at most {@link #MAX_BYTES} bytes of UTF-8.
 */
@JsonPropertyOrder({"n", "at", "stream", "text"})
public record LogLine(long n, Instant at, String stream, String text) {
    public static final int MAX_BYTES = 8 * 1024;
    public static final Set<String> STREAMS = Set.of("stdout", "stderr", "log");

    /** A line not yet numbered; the text cut to {@link #MAX_BYTES}. Throws IllegalArgumentException for an unknown stream. */
    public static LogLine of(Instant at, String stream, String text) {
        if (!STREAMS.contains(stream)) {
            throw new IllegalArgumentException("a log stream is stdout, stderr or log, not '" + stream + "'");
        }
        String clean = text == null ? "" : text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD'); // why: PostgreSQL text holds no NUL
        return new LogLine(0, at, stream, cut(clean));
    }

    /** The same line numbered {@code number}. */
    public LogLine numbered(long number) {
        return new LogLine(number, at, stream, text);
    }

    /** {@code text} cut to at most {@link #MAX_BYTES} bytes of UTF-8, never inside a character. */
    static String cut(String text) {
        if (text.length() * 3L <= MAX_BYTES) return text; // why: no string this short can be over the limit
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_BYTES) return text;
        int end = MAX_BYTES;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) end--; // why: back to the first byte of the character cut in two
        return new String(utf8, 0, end, StandardCharsets.UTF_8);
    }
}
