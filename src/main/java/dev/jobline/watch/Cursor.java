package dev.jobline.watch;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A position in a store's change feed, written {@code FEED-SEQ}: opaque to clients. */
public record Cursor(String feedId, long seq) {
    private static final Pattern FORM = Pattern.compile("([0-9A-Za-z]{1,64})-([0-9]{1,18})");

    /** Reads a cursor a client sent back; throws IllegalArgumentException when it is not of the form this server issues. */
    public static Cursor parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("after must be a cursor returned by GET /api/jobs, not '" + shorten(text) + "'");
        return new Cursor(m.group(1), Long.parseLong(m.group(2)));
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    @Override
    public String toString() {
        return feedId + "-" + seq;
    }
}
