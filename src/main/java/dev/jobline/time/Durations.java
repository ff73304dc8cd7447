package dev.jobline.time;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one way Jobline reads a duration someone typed: {@code 500ms}, {@code 30} (seconds), {@code 30s}, {@code 2m}, {@code 24h} or {@code 7d}. */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)?");

    private Durations() {}

    /** The duration {@code text} says, or IllegalArgumentException whose message is the rule ("must be a duration like ..."). */
    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim());
        if (!m.matches()) throw new IllegalArgumentException("must be a duration like 500ms, 30s, 2m, 24h or 7d, not '" + text + "'");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
