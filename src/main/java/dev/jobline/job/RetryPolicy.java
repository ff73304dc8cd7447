package dev.jobline.job;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.time.Durations;
import java.time.Duration;
import java.util.Iterator;

/**
 * How often a failed job runs again: at most {@code maxAttempts} attempts in all, the wait before
 * each next one drawn by {@link Backoff#fullJitter} from {@code backoff} doubling per attempt up
 * to {@code maxBackoff}. The wire form is {@code {"maxAttempts": 3, "backoff": "1s", "maxBackoff": "10m"}}.
 */
public record RetryPolicy(int maxAttempts, Duration backoff, Duration maxBackoff) {
    public static final int MAX_ATTEMPTS = 100;
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(10);

    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("maxAttempts must be an integer from 1 to " + MAX_ATTEMPTS + ", not " + maxAttempts);
        }
        if (backoff.isNegative() || maxBackoff.isNegative()) throw new IllegalArgumentException("backoff must not be negative");
        if (maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalArgumentException("maxBackoff (" + RunOptions.format(maxBackoff) + ") must not be shorter than backoff ("
                    + RunOptions.format(backoff) + ")");
        }
    }

    /**
     * Reads the wire form; {@code backoff} and {@code maxBackoff} may be left out (1s, 10m), and
     * {@code maxAttempts} too (3). Throws IllegalArgumentException naming the field at fault.
     */
    public static RetryPolicy parse(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("must be an object like {\"maxAttempts\": 3, \"backoff\": \"1s\", \"maxBackoff\": \"10m\"}");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("maxAttempts") && !f.equals("backoff") && !f.equals("maxBackoff")) {
                throw new IllegalArgumentException("unknown field '" + f + "'; a retry has maxAttempts, backoff and maxBackoff");
            }
        }
        JsonNode max = n.get("maxAttempts");
        int attempts = 3;
        if (max != null && !max.isNull()) {
            if (!max.isIntegralNumber() || !max.canConvertToInt()) {
                throw new IllegalArgumentException("maxAttempts must be an integer from 1 to " + MAX_ATTEMPTS + ", not " + max);
            }
            attempts = max.intValue();
            if (attempts < 1 || attempts > MAX_ATTEMPTS) {
                throw new IllegalArgumentException("maxAttempts must be an integer from 1 to " + MAX_ATTEMPTS + ", not " + attempts);
            }
        }
        Duration backoff = duration(n, "backoff", DEFAULT_BACKOFF);
        Duration maxBackoff = duration(n, "maxBackoff", backoff.compareTo(DEFAULT_MAX_BACKOFF) > 0 ? backoff : DEFAULT_MAX_BACKOFF);
        return new RetryPolicy(attempts, backoff, maxBackoff);
    }

    private static Duration duration(JsonNode n, String field, Duration fallback) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isTextual()) throw new IllegalArgumentException(field + " must be a duration string like \"1s\", not " + v);
        try {
            return Durations.parse(v.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " " + e.getMessage());
        }
    }

    /** The wait before the attempt after failed attempt {@code attempt}, {@code uniform} being a number in [0, 1). */
    public Duration delay(int attempt, double uniform) {
        return Backoff.fullJitter(backoff, maxBackoff, attempt, uniform);
    }

    /** Whether a job that failed its attempt number {@code attempt} runs again. */
    public boolean allowsAfter(int attempt) {
        return attempt < maxAttempts;
    }

    @JsonValue
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("maxAttempts", maxAttempts);
        o.put("backoff", RunOptions.format(backoff));
        o.put("maxBackoff", RunOptions.format(maxBackoff));
        return o;
    }
}
