package dev.jobline.web;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads how long a long-poll may wait: {@code 30} (seconds), {@code 500ms}, {@code 30s}, {@code 2m}, or RFC 7240 {@code Prefer: wait=N}. */
final class WaitParam {
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9}(?:\\.[0-9]{1,6})?)(ms|s|m)?");
    private static final Pattern PREFER_WAIT = Pattern.compile("(?:^|[,;\\s])wait\\s*=\\s*\"?([0-9]{1,9})\"?", Pattern.CASE_INSENSITIVE);

    private WaitParam() {}

    /** The wait asked for, clamped to {@code max}; {@code fallback} when neither query nor header asks. */
    static Duration resolve(String query, String prefer, Duration fallback, Duration max) {
        Duration asked;
        if (query != null) {
            asked = parse(query);
        } else if (prefer != null && PREFER_WAIT.matcher(prefer).find()) {
            Matcher m = PREFER_WAIT.matcher(prefer);
            m.find();
            asked = Duration.ofSeconds(Long.parseLong(m.group(1)));
        } else {
            asked = fallback;
        }
        return asked.compareTo(max) > 0 ? max : asked;
    }

    static Duration parse(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw Problem.badRequest("wait must be seconds (30) or a number with a unit (500ms, 30s, 2m), not '"
                    + (text.length() > 20 ? text.substring(0, 20) + "..." : text) + "'").toException();
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> n;
            case "m" -> n * 60_000;
            default -> n * 1_000;
        };
        return Duration.ofMillis((long) Math.min(millis, Long.MAX_VALUE / 2.0));
    }
}
